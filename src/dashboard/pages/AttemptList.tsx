import { useState } from 'preact/hooks';
import { seg } from '../api';
import { AttemptStatus, Badge } from '../components/Badges';
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
  appId: string;
  endpointId: string;
  endpoint: Endpoint | null;
  filters: Filters;
}

/** Attempts to one endpoint, newest first, with the detail drawer and bulk recover. */
export function AttemptList({ appId, endpointId, endpoint, filters }: Props) {
  const { api } = useCtx();
  const query = { ...commonQuery(filters), status: filters.status || undefined };
  const pager = usePager(
    (iterator) =>
      api.list<Attempt>(`${appApi(appId)}/attempt/endpoint/${seg(endpointId)}`, { limit: 25, iterator, ...query }),
    [appId, endpointId, query],
  );
  const [open, setOpen] = useState<Attempt | null>(null);
  const [recovering, setRecovering] = useState(false);

  return (
    <>
      <div class="toolbar">
        <button type="button" onClick={pager.reload} data-testid="attempts-refresh">
          Refresh
        </button>
        {endpoint && (
          <button type="button" data-testid="recover-open" onClick={() => setRecovering(true)}>
            Recover failed…
          </button>
        )}
      </div>
      <PagedTable
        pager={pager}
        empty="No attempts match these filters."
        columns={['Status', 'HTTP', 'Message', 'Duration', 'Time']}
        actions
        row={(a) => (
          <tr key={a.id} data-testid="attempt-row" data-id={a.id}>
            <td data-label="Status">
              <AttemptStatus status={a.status} />
              {a.triggerType === 1 && <Badge text="manual" tone="info" testid="attempt-manual" />}
            </td>
            <td data-label="HTTP">{a.responseStatusCode || '—'}</td>
            <td data-label="Message">
              <code>{a.msgId}</code>
            </td>
            <td data-label="Duration">{duration(a.responseDurationMs)}</td>
            <td data-label="Time">{dateTime(a.timestamp)}</td>
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
          <AttemptDetail appId={appId} attempt={open} onReplayed={pager.reload} />
        </Dialog>
      )}
      {recovering && endpoint && (
        <RecoverDialog appId={appId} endpoint={endpoint} onClose={() => setRecovering(false)} onDone={pager.reload} />
      )}
    </>
  );
}
