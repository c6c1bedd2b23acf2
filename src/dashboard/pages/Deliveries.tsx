import { useCtx } from '../context';
import { type Route, setQuery } from '../router';
import { DeliveryLog } from './DeliveryLog';
import { FilterBar } from './FilterBar';
import { filtersOf } from './filters';
import { useApps, useCatalogue, useEndpoints } from './useCatalogue';

/**
 * The delivery log of every endpoint: an admin sees every application's (or picks one), a portal
 * session its own application's. Filters live in the URL.
 */
export function Deliveries({ route }: { route: Route }) {
  const { session } = useCtx();
  const apps = useApps();
  const filters = filtersOf(route);
  const appId = session.admin ? filters.app || null : session.appId;
  const catalogue = useCatalogue();
  const endpoints = useEndpoints(appId);
  const set = (changes: Record<string, string>) => setQuery(route, changes);

  return (
    <section>
      <div class="page-head">
        <h1>Delivery log</h1>
      </div>
      <p class="muted">Every attempt to every endpoint, newest first. Pick an application to filter by endpoint.</p>
      <FilterBar
        filters={filters}
        set={set}
        apps={session.admin ? (apps.data ?? []) : null}
        appId={appId}
        allApps
        eventTypes={catalogue}
        endpoints={endpoints}
        endpointId={filters.endpoint}
      />
      <DeliveryLog
        appId={appId}
        endpoint={endpoints.find((e) => e.id === filters.endpoint) ?? null}
        filters={filters}
      />
    </section>
  );
}
