import { listAll } from '../api';
import { Empty, Loading } from '../components/States';
import { Tabs } from '../components/Tabs';
import { useCtx } from '../context';
import { useAsync } from '../hooks';
import { type Route, setQuery } from '../router';
import type { App } from '../types';
import { AttemptList } from './AttemptList';
import { FilterBar } from './FilterBar';
import { filtersOf } from './filters';
import { MessageList } from './MessageList';
import { useCatalogue, useEndpoints } from './useCatalogue';

const TABS = [
  { id: 'messages', label: 'Messages' },
  { id: 'attempts', label: 'Attempts' },
];

/**
 * Messages of one application, and the attempts to deliver them to one endpoint. An admin picks
 * the application; a portal session has exactly one.
 */
export function Messages({ route }: { route: Route }) {
  const { api, session } = useCtx();
  const apps = useAsync(
    () => (session.admin ? listAll<App>(api, '/api/v1/app', {}, 250) : Promise.resolve<App[]>([])),
    [session.admin],
  );
  const appId = session.admin ? route.query.get('app') || apps.data?.[0]?.id || null : session.appId;
  const tab = route.query.get('tab') === 'attempts' ? 'attempts' : 'messages';
  const filters = filtersOf(route);
  const catalogue = useCatalogue();
  const endpoints = useEndpoints(appId);
  const endpointId = filters.endpoint || endpoints[0]?.id || '';
  const set = (changes: Record<string, string>) => setQuery(route, changes);

  return (
    <section>
      <div class="page-head">
        <h1>Messages</h1>
      </div>
      <Tabs tabs={TABS} current={tab} onSelect={(id) => set({ tab: id })} />
      <FilterBar
        filters={filters}
        set={set}
        apps={session.admin ? (apps.data ?? []) : null}
        appId={appId}
        eventTypes={catalogue}
        endpoints={tab === 'attempts' ? endpoints : null}
        endpointId={endpointId}
      />
      {!appId && (session.admin && apps.loading ? <Loading /> : <Empty>Create an application first.</Empty>)}
      {appId && tab === 'messages' && <MessageList appId={appId} filters={filters} />}
      {appId &&
        tab === 'attempts' &&
        (endpointId ? (
          <AttemptList
            appId={appId}
            endpoint={endpoints.find((e) => e.id === endpointId) ?? null}
            endpointId={endpointId}
            filters={filters}
          />
        ) : (
          <Empty>This application has no endpoints, so there are no attempts.</Empty>
        ))}
    </section>
  );
}
