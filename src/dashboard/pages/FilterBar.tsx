import { DraftInput } from '../components/DraftInput';
import { type App, ATTEMPT_STATUS, type Endpoint } from '../types';
import type { Filters } from './filters';

interface Props {
  filters: Filters;
  set: (changes: Record<string, string>) => void;
  apps: App[] | null;
  appId: string | null;
  eventTypes: string[];
  endpoints: Endpoint[] | null;
  endpointId: string;
}

/** Filters for messages and attempts. `apps` is set for admins; `endpoints` on the attempts tab. */
export function FilterBar({ filters, set, apps, appId, eventTypes, endpoints, endpointId }: Props) {
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
            {apps.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
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
            {endpoints.map((ep) => (
              <option key={ep.id} value={ep.id}>
                {ep.url}
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
            {Object.entries(ATTEMPT_STATUS).map(([n, name]) => (
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
        onClick={() => set({ event_type: '', status: '', after: '', before: '' })}
      >
        Clear
      </button>
    </form>
  );
}
