import { DraftInput } from '../components/DraftInput';
import type { App, Endpoint } from '../types';
import type { Filters } from './filters';

interface Props {
  filters: Filters;
  set: (changes: Record<string, string>) => void;
  /** Admins pick the application; null hides the picker (a portal session has one). */
  apps: App[] | null;
  appId: string | null;
  /** Offer "All applications" (the delivery log of every application). */
  allApps?: boolean;
  eventTypes: string[];
  /** The delivery log's filters (endpoint, status); null on the messages list. */
  endpoints: Endpoint[] | null;
  endpointId: string;
}

const INTERNAL_LABEL: Record<string, string> = {
  'operational-webhooks': 'internal: operational webhooks',
  'inbound-source': 'internal: inbound source',
};

/** An application as a picker shows it: internal ones say so. */
export const appLabel = (a: App): string => (a.internal ? `${a.name} (${INTERNAL_LABEL[a.internal]})` : a.name);

/** The operator's own applications first; Hookway's internal ones after them, labelled. */
export const sortApps = (apps: App[]): App[] => [...apps.filter((a) => !a.internal), ...apps.filter((a) => a.internal)];

/** An endpoint by its full URL and uid, so two endpoints of one host never look alike. */
export const endpointLabel = (ep: Endpoint): string => (ep.uid ? `${ep.url} (${ep.uid})` : ep.url);

/** An attempt either succeeded or failed; the values are Svix's numbers the API filters on. */
const ATTEMPT_FILTER = [
  ['0', 'succeeded'],
  ['2', 'failed'],
] as const;

/** Filters for messages and the delivery log. */
export function FilterBar({ filters, set, apps, appId, allApps, eventTypes, endpoints, endpointId }: Props) {
  return (
    <form class="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
      {apps && (
        <label>
          Application
          <select
            data-testid="filter-app"
            value={appId ?? ''}
            onChange={(e) => set({ app: e.currentTarget.value, endpoint: '' })}
          >
            {allApps && <option value="">All applications</option>}
            {sortApps(apps).map((a) => (
              <option key={a.id} value={a.id}>
                {appLabel(a)}
              </option>
            ))}
          </select>
        </label>
      )}
      {endpoints && (
        <label>
          Endpoint
          <select
            data-testid="filter-endpoint"
            value={endpointId}
            onChange={(e) => set({ endpoint: e.currentTarget.value })}
          >
            <option value="">All endpoints</option>
            {endpoints.map((ep) => (
              <option key={ep.id} value={ep.id}>
                {endpointLabel(ep)}
              </option>
            ))}
          </select>
        </label>
      )}
      {endpoints && (
        <label>
          Status
          <select
            data-testid="filter-status"
            value={filters.status}
            onChange={(e) => set({ status: e.currentTarget.value })}
          >
            <option value="">Any</option>
            {ATTEMPT_FILTER.map(([n, name]) => (
              <option key={n} value={n}>
                {name}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        Event type
        <select
          data-testid="filter-event-type"
          value={filters.eventType}
          onChange={(e) => set({ event_type: e.currentTarget.value })}
        >
          <option value="">Any</option>
          {[...new Set([...eventTypes, ...(filters.eventType ? [filters.eventType] : [])])].map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      <label for="filter-after">
        After
        <DraftInput
          id="filter-after"
          type="datetime-local"
          testid="filter-after"
          value={filters.after}
          onCommit={(v) => set({ after: v })}
        />
      </label>
      <label for="filter-before">
        Before
        <DraftInput
          id="filter-before"
          type="datetime-local"
          testid="filter-before"
          value={filters.before}
          onCommit={(v) => set({ before: v })}
        />
      </label>
      <button
        type="button"
        data-testid="filter-clear"
        onClick={() => set({ event_type: '', status: '', after: '', before: '', endpoint: '' })}
      >
        Clear
      </button>
    </form>
  );
}
