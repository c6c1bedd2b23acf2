import { Empty, Loading } from '../components/States';
import { Tabs } from '../components/Tabs';
import { useCtx } from '../context';
import { type Route, setQuery } from '../router';
import { DeliveryLog } from './DeliveryLog';
import { FilterBar } from './FilterBar';
import { filtersOf } from './filters';
import { MessageList } from './MessageList';
import { useApps, useCatalogue, useEndpoints } from './useCatalogue';

const TABS = [
  { id: 'messages', label: 'Messages' },
  { id: 'attempts', label: 'Delivery log' },
];

/**
 * Messages of one application, and the log of attempts to deliver them to its endpoints (all, or
 * one). An admin picks the application (never an internal one by default); a portal session has
 * exactly one.
 */
export function Messages({ route }: { route: Route }) {
  const { session } = useCtx();
  const apps = useApps();
  const firstOwn = apps.data?.find((a) => !a.internal)?.id ?? null;
  const appId = session.admin ? route.query.get('app') || firstOwn : session.appId;
  const tab = route.query.get('tab') === 'attempts' ? 'attempts' : 'messages';
  const filters = filtersOf(route);
  const catalogue = useCatalogue();
  const endpoints = useEndpoints(appId);
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
        endpointId={filters.endpoint}
      />
      {!appId && (session.admin && apps.loading ? <Loading /> : <Empty>Create an application first.</Empty>)}
      {appId && tab === 'messages' && <MessageList appId={appId} filters={filters} />}
      {appId && tab === 'attempts' && (
        <DeliveryLog
          appId={appId}
          endpoint={endpoints.find((e) => e.id === filters.endpoint) ?? null}
          filters={filters}
        />
      )}
    </section>
  );
}
