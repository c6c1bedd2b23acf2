import { useState } from 'preact/hooks';
import { seg } from '../api';
import { Badge } from '../components/Badges';
import { Confirm } from '../components/Confirm';
import { CopyButton } from '../components/CopyButton';
import { PagedTable } from '../components/Table';
import { useCtx } from '../context';
import { absoluteUrl, dateTime } from '../format';
import { usePager } from '../hooks';
import { href, navigate } from '../router';
import type { Source } from '../types';
import { SourceDialog } from './SourceDialog';

export function Sources() {
  const { api, toast } = useCtx();
  const pager = usePager((iterator) => api.list<Source>('/ingest/api/v1/source', { limit: 25, iterator }), []);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<Source | null>(null);

  return (
    <section>
      <div class="page-head">
        <h1>Inbound sources</h1>
        <button type="button" class="primary" data-testid="source-create" onClick={() => setCreating(true)}>
          New source
        </button>
      </div>
      <PagedTable
        pager={pager}
        empty="No inbound sources yet."
        columns={['Name', 'Provider', 'Ingest URL', 'Created']}
        actions
        row={(s) => (
          <tr key={s.id} data-testid="source-row" data-id={s.id}>
            <td data-label="Name">
              <a href={href(`/sources/${seg(s.id)}`)} data-testid="source-open">
                {s.name}
              </a>
            </td>
            <td data-label="Provider">
              <Badge text={s.hookwayType ?? s.type} />
            </td>
            <td data-label="Ingest URL" class="cell-url">
              <code class="truncate" title={absoluteUrl(s.ingestUrl)}>
                {absoluteUrl(s.ingestUrl)}
              </code>
              <CopyButton text={absoluteUrl(s.ingestUrl)} testid="ingest-copy" />
            </td>
            <td data-label="Created">{dateTime(s.createdAt)}</td>
            <td class="row-actions">
              <button type="button" class="danger" data-testid="source-delete" onClick={() => setDeleting(s)}>
                Delete
              </button>
            </td>
          </tr>
        )}
      />
      {creating && (
        <SourceDialog
          onClose={() => setCreating(false)}
          onSaved={(s) => {
            setCreating(false);
            toast(`Created source ${s.name}`, 'success');
            navigate(`/sources/${seg(s.id)}`);
          }}
        />
      )}
      {deleting && (
        <Confirm
          title="Delete source"
          message={`Delete ${deleting.name}? Its ingest URL stops accepting requests.`}
          confirmLabel="Delete"
          danger
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await api.del(`/ingest/api/v1/source/${seg(deleting.id)}`);
            toast(`Deleted ${deleting.name}`, 'success');
            pager.reload();
          }}
        />
      )}
    </section>
  );
}
