import { useState } from 'preact/hooks';
import { seg } from '../api';
import { Confirm } from '../components/Confirm';
import { Pager } from '../components/Pager';
import { Section } from '../components/States';
import { useCtx } from '../context';
import { useAsync, usePager } from '../hooks';
import { appApi, endpointPath } from '../links';
import { href } from '../router';
import type { App, Endpoint } from '../types';
import { EndpointDialog } from './EndpointDialog';
import { EndpointTable } from './EndpointTable';
import { SecretOnce } from './SecretOnce';
import { sendTest } from './sendTest';
import { useCatalogue } from './useCatalogue';

/** One application's endpoints: the page an admin opens from Applications, and the portal's home. */
export function AppEndpoints({ appId }: { appId: string }) {
  const ctx = useCtx();
  const { api, session, toast } = ctx;
  const base = `${appApi(appId)}/endpoint`;
  const app = useAsync(() => api.get<App>(appApi(appId)), [appId]);
  const pager = usePager((iterator) => api.list<Endpoint>(base, { limit: 50, iterator }), [base]);
  const catalogue = useCatalogue();
  const [editing, setEditing] = useState<Endpoint | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Endpoint | null>(null);
  const [secret, setSecret] = useState<string | null>(null);

  return (
    <section>
      {session.admin && (
        <nav class="crumbs" aria-label="Breadcrumb">
          <a href={href('/apps')}>Applications</a> / <span>{app.data?.name ?? appId}</span>
        </nav>
      )}
      <div class="page-head">
        <h1>
          Endpoints <span class="muted">· {app.data?.name ?? appId}</span>
        </h1>
        <div class="head-actions">
          <a class="button" href={href('/messages', session.admin ? { app: appId } : {})}>
            Messages
          </a>
          <button type="button" class="primary" data-testid="endpoint-create" onClick={() => setEditing('new')}>
            New endpoint
          </button>
        </div>
      </div>
      <Section
        {...pager}
        empty="No endpoints yet. Add one to start receiving events."
        isEmpty={(p) => p.data.length === 0}
      >
        {(page) => (
          <EndpointTable
            base={base}
            rows={page.data}
            onChanged={pager.reload}
            onEdit={setEditing}
            onDelete={setDeleting}
            detailPath={(ep) => endpointPath(session, appId, ep.id)}
            onSendTest={(ep) => sendTest(ctx, appId, ep, catalogue)}
          />
        )}
      </Section>
      <Pager {...pager} />
      {editing && (
        <EndpointDialog
          base={base}
          endpoint={editing === 'new' ? undefined : editing}
          eventTypes={catalogue}
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
          title="Delete endpoint"
          message={`Delete ${deleting.url}? Pending deliveries to it are dropped.`}
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
    </section>
  );
}
