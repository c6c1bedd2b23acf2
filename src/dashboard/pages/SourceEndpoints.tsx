import { useState } from 'preact/hooks';
import { seg } from '../api';
import { Confirm } from '../components/Confirm';
import { Pager } from '../components/Pager';
import { Section } from '../components/States';
import { useCtx } from '../context';
import { usePager } from '../hooks';
import type { Endpoint } from '../types';
import { EndpointDialog } from './EndpointDialog';
import { EndpointTable } from './EndpointTable';
import { SecretOnce } from './SecretOnce';

/** Where a source forwards verified events: the same endpoint shape as an application's. */
export function SourceEndpoints({ path }: { path: string }) {
  const { api, toast } = useCtx();
  const base = `${path}/endpoint`;
  const pager = usePager((iterator) => api.list<Endpoint>(base, { limit: 50, iterator }), [base]);
  const [editing, setEditing] = useState<Endpoint | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Endpoint | null>(null);
  const [secret, setSecret] = useState<string | null>(null);

  return (
    <>
      <div class="toolbar">
        <button type="button" class="primary" data-testid="source-endpoint-create" onClick={() => setEditing('new')}>
          New forwarding endpoint
        </button>
      </div>
      <Section
        {...pager}
        empty="Verified events are stored but not forwarded anywhere yet."
        isEmpty={(p) => p.data.length === 0}
      >
        {(page) => (
          <EndpointTable
            base={base}
            rows={page.data}
            onChanged={pager.reload}
            onEdit={setEditing}
            onDelete={setDeleting}
          />
        )}
      </Section>
      <Pager {...pager} />
      {editing && (
        <EndpointDialog
          base={base}
          endpoint={editing === 'new' ? undefined : editing}
          eventTypes={[]}
          onClose={() => setEditing(null)}
          onSaved={(ep, newSecret) => {
            setEditing(null);
            toast(`Saved endpoint ${ep.url}`, 'success');
            if (newSecret) setSecret(newSecret);
            pager.reload();
          }}
        />
      )}
      {secret && <SecretOnce secret={secret} onClose={() => setSecret(null)} />}
      {deleting && (
        <Confirm
          title="Delete forwarding endpoint"
          message={`Stop forwarding to ${deleting.url}?`}
          confirmLabel="Delete"
          danger
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await api.del(`${base}/${seg(deleting.id)}`);
            toast('Endpoint deleted', 'success');
            pager.reload();
          }}
        />
      )}
    </>
  );
}
