import { useState } from 'preact/hooks';
import { StatusBadge } from '../components/Badges';
import { DraftInput } from '../components/DraftInput';
import { PagedTable } from '../components/Table';
import { useCtx } from '../context';
import { dateTime } from '../format';
import { usePager } from '../hooks';
import { type Route, setQuery } from '../router';
import { INBOUND_STATUSES, type InboundEvent } from '../types';
import { InboundEventDrawer } from './InboundEventDrawer';

/** Inbound events of one source, filtered by status and type (kept in the URL). */
export function InboundEvents({ path, route, onChanged }: { path: string; route: Route; onChanged: () => void }) {
  const { api } = useCtx();
  const status = route.query.get('status') ?? '';
  const type = route.query.get('type') ?? '';
  const pager = usePager(
    (iterator) => api.list<InboundEvent>(`${path}/event`, { limit: 25, iterator, status, type }),
    [path, status, type],
  );
  const [open, setOpen] = useState<InboundEvent | null>(null);

  return (
    <>
      <form class="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status
          <select
            data-testid="inbound-filter-status"
            value={status}
            onChange={(e) => setQuery(route, { status: e.currentTarget.value })}
          >
            <option value="">Any</option>
            {INBOUND_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label for="inbound-filter-type">
          Event type
          <DraftInput
            id="inbound-filter-type"
            testid="inbound-filter-type"
            placeholder="e.g. payment_intent.succeeded"
            value={type}
            onCommit={(v) => setQuery(route, { type: v })}
          />
        </label>
        <button
          type="button"
          onClick={() => {
            // The source's counters above the list are stale too.
            pager.reload();
            onChanged();
          }}
          data-testid="inbound-refresh"
        >
          Refresh
        </button>
      </form>
      <PagedTable
        pager={pager}
        empty="No inbound events match."
        columns={['Event type', 'Status', 'Provider event ID', 'Attempts', 'Received']}
        actions
        row={(ev) => (
          <tr key={ev.id} data-testid="inbound-event-row" data-id={ev.id}>
            <td data-label="Event type">{ev.eventType ?? '—'}</td>
            <td data-label="Status">
              <StatusBadge status={ev.status} testid="inbound-event-status" />
              {ev.error && (
                <div class="error truncate" title={ev.error}>
                  {ev.error}
                </div>
              )}
            </td>
            <td data-label="Provider event ID">
              <code>{ev.eventId ?? '—'}</code>
            </td>
            <td data-label="Attempts">{ev.attempts ?? 0}</td>
            <td data-label="Received">{dateTime(ev.receivedAt)}</td>
            <td class="row-actions">
              <button type="button" data-testid="inbound-event-open" onClick={() => setOpen(ev)}>
                Details
              </button>
            </td>
          </tr>
        )}
      />
      {open && (
        <InboundEventDrawer
          path={`${path}/event`}
          event={open}
          onClose={() => setOpen(null)}
          onReprocessed={() => {
            pager.reload();
            onChanged();
          }}
        />
      )}
    </>
  );
}
