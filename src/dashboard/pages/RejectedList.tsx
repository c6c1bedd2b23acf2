import { HeadersTable } from '../components/Code';
import { PagedTable } from '../components/Table';
import { useCtx } from '../context';
import { dateTime } from '../format';
import { usePager } from '../hooks';
import type { RejectedRequest } from '../types';

/** Requests the source refused (bad signature, stale timestamp, ...), with the reason. */
export function RejectedList({ path }: { path: string }) {
  const { api } = useCtx();
  const pager = usePager((iterator) => api.list<RejectedRequest>(`${path}/rejected`, { limit: 25, iterator }), [path]);
  return (
    <PagedTable
      pager={pager}
      empty="No rejected requests."
      columns={['Received', 'Reason', 'Headers']}
      row={(r) => (
        <tr key={r.id} data-testid="rejected-row">
          <td data-label="Received">{dateTime(r.receivedAt)}</td>
          <td data-label="Reason" data-testid="rejected-reason">
            {r.reason}
          </td>
          <td data-label="Headers">
            <details>
              <summary>{Object.keys(r.headers ?? {}).length} headers</summary>
              <HeadersTable headers={r.headers} />
            </details>
          </td>
        </tr>
      )}
    />
  );
}
