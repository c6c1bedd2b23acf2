import { HeadersTable } from '../components/Code';
import { Pager } from '../components/Pager';
import { Section } from '../components/States';
import { useCtx } from '../context';
import { dateTime } from '../format';
import { usePager } from '../hooks';
import type { RejectedRequest } from '../types';

/** Requests the source refused (bad signature, stale timestamp, ...), with the reason. */
export function RejectedList({ path }: { path: string }) {
  const { api } = useCtx();
  const pager = usePager((iterator) => api.list<RejectedRequest>(`${path}/rejected`, { limit: 25, iterator }), [path]);
  return (
    <>
      <Section {...pager} empty="No rejected requests." isEmpty={(p) => p.data.length === 0}>
        {(page) => (
          <table class="table">
            <thead>
              <tr>
                <th>Received</th>
                <th>Reason</th>
                <th>Headers</th>
              </tr>
            </thead>
            <tbody>
              {page.data.map((r) => (
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
              ))}
            </tbody>
          </table>
        )}
      </Section>
      <Pager {...pager} />
    </>
  );
}
