import type { ComponentChildren } from 'preact';
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

interface Props {
  /** The endpoint collection's API path: an application's or an ingest source's. */
  base: string;
  /** What stands above the table; `create` opens the new-endpoint dialog. */
  head: (create: () => void) => ComponentChildren;
  /** The empty state; a function gets `create`, to offer the first endpoint right there. */
  empty: ComponentChildren | ((create: () => void) => ComponentChildren);
  eventTypes: string[];
  deleteTitle: string;
  deleteMessage: (ep: Endpoint) => string;
  detailPath?: (ep: Endpoint) => string;
  onSendTest?: (ep: Endpoint) => void;
}

/**
 * A paged list of endpoints with create, edit and delete, shared by an application's endpoints
 * and a source's ingest endpoints (an ingest endpoint is an endpoint of the source's app).
 */
export function EndpointList({ base, head, empty, eventTypes, deleteTitle, deleteMessage, ...table }: Props) {
  const { api, toast } = useCtx();
  const pager = usePager((iterator) => api.list<Endpoint>(base, { limit: 50, iterator }), [base]);
  const [editing, setEditing] = useState<Endpoint | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Endpoint | null>(null);
  const [secret, setSecret] = useState<string | null>(null);

  return (
    <>
      {head(() => setEditing('new'))}
      <Section
        {...pager}
        empty={typeof empty === 'function' ? empty(() => setEditing('new')) : empty}
        isEmpty={(p) => p.data.length === 0}
      >
        {(page) => (
          <EndpointTable
            base={base}
            rows={page.data}
            onChanged={pager.reload}
            onEdit={setEditing}
            onDelete={setDeleting}
            {...table}
          />
        )}
      </Section>
      <Pager {...pager} />
      {editing && (
        <EndpointDialog
          base={base}
          endpoint={editing === 'new' ? undefined : editing}
          eventTypes={eventTypes}
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
          title={deleteTitle}
          message={deleteMessage(deleting)}
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
