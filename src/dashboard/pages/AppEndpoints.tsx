import { useState } from 'preact/hooks';
import { useCtx } from '../context';
import { useAsync } from '../hooks';
import { appApi, endpointPath } from '../links';
import { href } from '../router';
import type { App } from '../types';
import { EndpointList } from './EndpointList';
import { PortalLinkDialog } from './PortalLinkDialog';
import { sendTest } from './sendTest';
import { useCatalogue } from './useCatalogue';

/** One application's endpoints: the page an admin opens from Applications, and the portal's home. */
export function AppEndpoints({ appId }: { appId: string }) {
  const ctx = useCtx();
  const { api, session } = ctx;
  const app = useAsync(() => api.get<App>(appApi(appId)), [appId]);
  const catalogue = useCatalogue();
  const [portal, setPortal] = useState(false);

  return (
    <section>
      {session.admin && (
        <nav class="crumbs" aria-label="Breadcrumb">
          <a href={href('/apps')}>Applications</a> / <span>{app.data?.name ?? appId}</span>
        </nav>
      )}
      <EndpointList
        base={`${appApi(appId)}/endpoint`}
        head={(create) => (
          <div class="page-head">
            <h1>
              Endpoints <span class="muted">· {app.data?.name ?? appId}</span>
            </h1>
            <div class="head-actions">
              <a class="button" href={href('/messages', session.admin ? { app: appId } : {})}>
                Messages
              </a>
              {session.admin && (
                <button type="button" data-testid="portal-link-open" onClick={() => setPortal(true)}>
                  Portal link
                </button>
              )}
              <button type="button" class="primary" data-testid="endpoint-create" onClick={create}>
                New endpoint
              </button>
            </div>
          </div>
        )}
        empty={(create) => (
          <>
            <p>
              No endpoints yet. An endpoint is a URL this application's messages are delivered to, signed and retried.
              Add one, then send it a test event from its page.
            </p>
            <p class="muted">
              Receiving on your own machine? Private addresses such as localhost are refused; run{' '}
              <code>hookway listen --app {app.data?.uid ?? appId} --forward-to http://localhost:3000/webhooks</code>{' '}
              instead.
            </p>
            <button type="button" class="primary" data-testid="endpoint-create-first" onClick={create}>
              Add an endpoint
            </button>
          </>
        )}
        eventTypes={catalogue}
        deleteTitle="Delete endpoint"
        deleteMessage={(ep) => `Delete ${ep.url}? Pending deliveries to it are dropped.`}
        detailPath={(ep) => endpointPath(session, appId, ep.id)}
        onSendTest={(ep) => sendTest(ctx, appId, ep, catalogue)}
      />
      {portal && <PortalLinkDialog appId={appId} onClose={() => setPortal(false)} />}
    </section>
  );
}
