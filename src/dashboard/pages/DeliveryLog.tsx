import { useState } from 'preact/hooks';
import { AttemptError, AttemptStatusBadge, Badge } from '../components/Badges';
import { Dialog } from '../components/Dialog';
import { PagedTable } from '../components/Table';
import { useCtx } from '../context';
import { dateTime, duration } from '../format';
import { usePager } from '../hooks';
import { appApi } from '../links';
import type { Attempt, Endpoint } from '../types';
import { AttemptDetail } from './AttemptDetail';
import { commonQuery, type Filters } from './filters';
import { RecoverDialog } from './RecoverDialog';

interface Props {
  /** One application's log; null: every application's (admin). */
  appId: string | null;
  /** Set when the filters name one endpoint: it can then be recovered from here. */
  endpoint: Endpoint | null;
  filters: Filters;
}

/**
 * The delivery log: attempts to every endpoint, newest first, filtered by status, event type,
 * endpoint and time. Each row names its endpoint by full URL and uid (two endpoints of one host
 * never look alike) and says why a failed attempt failed.
 */
export function DeliveryLog({ appId, endpoint, filters }: Props) {
  const { api } = useCtx();
  const query = {
    ...commonQuery(filters),
    status: filters.status || undefined,
    endpoint_id: filters.endpoint || undefined,
  };
  const path = appId === null ? '/api/v1/attempt' : `${appApi(appId)}/attempt`;
  const pager = usePager((iterator) => api.list<Attempt>(path, { limit: 25, iterator, ...query }), [path, query]);
  const [open, setOpen] = useState<Attempt | null>(null);
  const [recovering, setRecovering] = useState(false);

  return (
    <>
      <div class="toolbar">
        <button type="button" onClick={pager.reload} data-testid="attempts-refresh">
          Refresh
        </button>
        {endpoint && appId && (
          <button type="button" data-testid="recover-open" onClick={() => setRecovering(true)}>
            Recover failed…
          </button>
        )}
      </div>
      <PagedTable
        pager={pager}
        empty="No attempts match these filters."
        columns={['Time', 'Status', 'Endpoint', 'Event type', 'HTTP', 'Error', 'Duration']}
        actions
        row={(a) => (
          <tr key={a.id} data-testid="attempt-row" data-id={a.id}>
            <td data-label="Time">{dateTime(a.timestamp)}</td>
            <td data-label="Status">
              <AttemptStatusBadge status={a.status} />
              {a.triggerType === 1 && <Badge text="manual" tone="info" testid="attempt-manual" />}
            </td>
            <td data-label="Endpoint" class="cell-endpoint">
              <div class="break" data-testid="attempt-endpoint-url">
                {a.url}
              </div>
              <div class="muted">
                <code>{a.endpointUid ?? a.endpointId}</code>
                {appId === null && a.appName ? ` · ${a.appName}` : ''}
              </div>
            </td>
            <td data-label="Event type">{a.eventType ?? '—'}</td>
            <td data-label="HTTP">{a.responseStatusCode || '—'}</td>
            <td data-label="Error">
              {a.status === 2 ? <AttemptError kind={a.errorKind} detail={a.errorDetail} /> : '—'}
            </td>
            <td data-label="Duration">{duration(a.responseDurationMs)}</td>
            <td class="row-actions">
              <button type="button" data-testid="attempt-open" onClick={() => setOpen(a)}>
                Details
              </button>
            </td>
          </tr>
        )}
      />
      {open && (
        <Dialog title="Attempt" variant="drawer" onClose={() => setOpen(null)} testid="attempt-drawer">
          <AttemptDetail appId={open.appId ?? appId ?? ''} attempt={open} onReplayed={pager.reload} />
        </Dialog>
      )}
      {recovering && endpoint && appId && (
        <RecoverDialog appId={appId} endpoint={endpoint} onClose={() => setRecovering(false)} onDone={pager.reload} />
      )}
    </>
  );
}
