import { useState } from 'preact/hooks';
import { Badge } from '../components/Badges';
import { Confirm } from '../components/Confirm';
import { PagedTable } from '../components/Table';
import { useCtx } from '../context';
import { dateTime } from '../format';
import { usePager } from '../hooks';
import { appApi } from '../links';
import { href } from '../router';
import type { App } from '../types';
import { AppDialog } from './AppDialog';

export function Apps() {
  const { api, toast } = useCtx();
  // Hookway's own applications (operational webhooks, one per inbound source) are hidden unless asked for.
  const [showInternal, setShowInternal] = useState(false);
  const pager = usePager(
    (iterator) =>
      api.list<App>('/api/v1/app', { limit: 25, iterator, exclude_internal: showInternal ? undefined : true }),
    [showInternal],
  );
  const [editing, setEditing] = useState<App | 'new' | null>(null);
  const [deleting, setDeleting] = useState<App | null>(null);

  return (
    <section>
      <div class="page-head">
        <h1>Applications</h1>
        <button type="button" class="primary" data-testid="app-create" onClick={() => setEditing('new')}>
          New application
        </button>
      </div>
      <label class="inline">
        <input
          type="checkbox"
          data-testid="apps-show-internal"
          checked={showInternal}
          onChange={(e) => setShowInternal(e.currentTarget.checked)}
        />{' '}
        Show Hookway's internal applications (operational webhooks, inbound sources)
      </label>
      <PagedTable
        pager={pager}
        empty={
          <>
            <p>
              No applications yet. An application is one of your customers (or one of your own services): it has
              endpoints, the URLs its webhooks go to, and messages, the events you publish to it.
            </p>
            <button type="button" class="primary" data-testid="app-create-first" onClick={() => setEditing('new')}>
              Create your first application
            </button>
          </>
        }
        columns={['Name', 'ID / UID', 'Rate limit', 'Created']}
        actions
        row={(app) => (
          <tr key={app.id} data-testid="app-row" data-id={app.id}>
            <td data-label="Name">
              <a href={href(`/apps/${encodeURIComponent(app.id)}`)} data-testid="app-open">
                {app.name}
              </a>
              {app.internal && (
                <>
                  {' '}
                  <Badge
                    text={
                      app.internal === 'inbound-source'
                        ? 'internal · inbound source'
                        : 'internal · operational webhooks'
                    }
                    tone="muted"
                    testid="app-internal"
                  />
                </>
              )}
            </td>
            <td data-label="ID / UID">
              <div class="id-uid">
                <code>{app.id}</code>
                {app.uid && <span class="muted">{app.uid}</span>}
              </div>
            </td>
            <td data-label="Rate limit">{app.rateLimit ?? '—'}</td>
            <td data-label="Created">{dateTime(app.createdAt)}</td>
            <td class="row-actions">
              <a class="button" href={href('/messages', { app: app.id })}>
                Messages
              </a>
              <button type="button" data-testid="app-edit" onClick={() => setEditing(app)}>
                Edit
              </button>
              <button type="button" class="danger" data-testid="app-delete" onClick={() => setDeleting(app)}>
                Delete
              </button>
            </td>
          </tr>
        )}
      />
      {editing && (
        <AppDialog
          app={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(null)}
          onSaved={(app) => {
            setEditing(null);
            toast(`Saved application ${app.name}`, 'success');
            pager.reload();
          }}
        />
      )}
      {deleting && (
        <Confirm
          title="Delete application"
          message={`Delete ${deleting.name}? Its endpoints, messages and attempts are deleted too.`}
          confirmLabel="Delete"
          danger
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await api.del(appApi(deleting.id));
            toast(`Deleted ${deleting.name}`, 'success');
            pager.reload();
          }}
        />
      )}
    </section>
  );
}
