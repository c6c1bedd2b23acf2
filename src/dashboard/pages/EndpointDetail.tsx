import { useState } from 'preact/hooks';
import { seg } from '../api';
import { AttemptError, EndpointStatusBadge, EventTypeBadges } from '../components/Badges';
import { Confirm } from '../components/Confirm';
import { Stat } from '../components/Stat';
import { Section } from '../components/States';
import { useCtx } from '../context';
import { count, dateTime, percent } from '../format';
import { useAsync } from '../hooks';
import { appApi, endpointsPath } from '../links';
import { href, navigate } from '../router';
import type { Attempt, Endpoint, EndpointStats } from '../types';
import { EndpointDialog } from './EndpointDialog';
import { FifoQueue } from './FifoQueue';
import { RecoverDialog } from './RecoverDialog';
import { SecretOnce } from './SecretOnce';
import { sendTest } from './sendTest';
import { useCatalogue } from './useCatalogue';

type Open = 'edit' | 'rotate' | 'recover' | 'delete' | null;

/** One endpoint: settings, 24 h stats, and the actions on it (test, rotate secret, recover, delete). */
export function EndpointDetail({ appId, endpointId }: { appId: string; endpointId: string }) {
  const ctx = useCtx();
  const { api, session, toast } = ctx;
  const base = `${appApi(appId)}/endpoint`;
  const path = `${base}/${seg(endpointId)}`;
  const ep = useAsync(() => api.get<Endpoint>(path), [path]);
  const stats = useAsync(
    () => api.get<EndpointStats>(`${path}/stats`, { since: new Date(Date.now() - 86_400_000).toISOString() }),
    [path],
  );
  // The last failed attempt, so a failing endpoint shows why.
  const lastFailure = useAsync(
    () =>
      api
        .list<Attempt>(`${appApi(appId)}/attempt/endpoint/${seg(endpointId)}`, { status: 2, limit: 1 })
        .then((p) => p.data[0] ?? null),
    [path],
  );
  const catalogue = useCatalogue();
  const [open, setOpen] = useState<Open>(null);
  const [secret, setSecret] = useState<string | null>(null);

  return (
    <section>
      <nav class="crumbs" aria-label="Breadcrumb">
        <a href={href(endpointsPath(session, appId))}>Endpoints</a> / <span>{ep.data?.url ?? endpointId}</span>
      </nav>
      <Section {...ep} empty="This endpoint does not exist.">
        {(e) => (
          <>
            <div class="page-head">
              <h1 class="truncate" title={e.url} data-testid="endpoint-title">
                {e.url}
              </h1>
              <div class="head-actions">
                <button
                  type="button"
                  data-testid="send-test"
                  disabled={e.disabled}
                  onClick={() => sendTest(ctx, appId, e, catalogue)}
                >
                  Send test
                </button>
                <button type="button" data-testid="endpoint-edit" onClick={() => setOpen('edit')}>
                  Edit
                </button>
                <button type="button" data-testid="rotate-secret" onClick={() => setOpen('rotate')}>
                  Rotate secret
                </button>
                <button type="button" data-testid="recover-open" onClick={() => setOpen('recover')}>
                  Recover failed…
                </button>
                <button type="button" class="danger" data-testid="endpoint-delete" onClick={() => setOpen('delete')}>
                  Delete
                </button>
              </div>
            </div>
            <dl class="facts">
              <dt>Status</dt>
              <dd>
                <EndpointStatusBadge ep={e} />
              </dd>
              {e.status === 'failing' && lastFailure.data && (
                <>
                  <dt>Last error</dt>
                  <dd class="break" data-testid="endpoint-last-error">
                    <AttemptError kind={lastFailure.data.errorKind} detail={lastFailure.data.errorDetail} />{' '}
                    <span class="muted">
                      {lastFailure.data.responseStatusCode ? `HTTP ${lastFailure.data.responseStatusCode} · ` : ''}
                      {dateTime(lastFailure.data.timestamp)}
                    </span>
                  </dd>
                </>
              )}
              <dt>ID</dt>
              <dd>
                <code>{e.id}</code>
              </dd>
              <dt>Description</dt>
              <dd>{e.description || '—'}</dd>
              <dt>Event types</dt>
              <dd>
                <EventTypeBadges types={e.filterTypes} />
              </dd>
              <dt>Channels</dt>
              <dd>{e.channels?.join(', ') || '—'}</dd>
              <dt>Format</dt>
              <dd>{e.format ?? 'standard'}</dd>
              <dt>Timeout</dt>
              <dd>{e.timeoutMs ? `${e.timeoutMs} ms` : 'default'}</dd>
              <dt>Retry schedule</dt>
              <dd>{e.retrySchedule?.length ? `${e.retrySchedule.join(', ')} s` : 'default'}</dd>
              <dt>Rate limit</dt>
              <dd>{e.rateLimit ? `${e.rateLimit}/s` : 'none'}</dd>
              <dt>Order</dt>
              <dd data-testid="endpoint-order">
                {e.fifo ? 'FIFO: one at a time, in creation order' : 'any (parallel)'}
              </dd>
              <dt>Created</dt>
              <dd>{dateTime(e.createdAt)}</dd>
            </dl>
            {e.fifo && <FifoQueue appId={appId} path={path} />}
            <h2>Last 24 hours</h2>
            <Section {...stats} empty="No statistics for this endpoint.">
              {(s) => (
                <div class="stats" data-testid="endpoint-stats">
                  <Stat label="Delivered" value={count(s.deliveries?.succeeded)} tone="ok" testid="stat-succeeded" />
                  <Stat label="Retrying" value={count(s.deliveries?.retrying)} tone="warn" testid="stat-retrying" />
                  <Stat label="Exhausted" value={count(s.deliveries?.exhausted)} tone="bad" testid="stat-exhausted" />
                  <Stat
                    label="Pending"
                    value={count((s.deliveries?.pending ?? 0) + (s.deliveries?.sending ?? 0))}
                    testid="stat-pending"
                  />
                  <Stat
                    label="Failed attempts"
                    value={count(s.attempts?.failed)}
                    tone="bad"
                    testid="stat-failed-attempts"
                  />
                  <Stat
                    label="Attempt success"
                    value={s.attempts?.total ? percent(s.successRate) : '—'}
                    testid="stat-success-rate"
                  />
                </div>
              )}
            </Section>
            {stats.data && !stats.data.success && !stats.data.fail && !stats.data.pending && !stats.data.sending && (
              <p class="muted" data-testid="endpoint-nothing-yet">
                Nothing sent to this endpoint in the last 24 hours. <strong>Send test</strong> sends it an example
                event; its attempt, with the response or the error, then shows under <strong>View attempts</strong>.
              </p>
            )}
            <p>
              <a
                class="button"
                data-testid="endpoint-attempts"
                href={href('/messages', { ...(session.admin ? { app: appId } : {}), tab: 'attempts', endpoint: e.id })}
              >
                View delivery log
              </a>
            </p>
            {open === 'edit' && (
              <EndpointDialog
                base={base}
                endpoint={e}
                eventTypes={catalogue}
                onClose={() => setOpen(null)}
                onSaved={() => {
                  setOpen(null);
                  toast('Endpoint saved', 'success');
                  ep.reload();
                }}
              />
            )}
            {open === 'rotate' && (
              <Confirm
                title="Rotate secret"
                message="Create a new signing secret? The old one keeps working for 24 hours so receivers can switch."
                confirmLabel="Rotate"
                onClose={() => setOpen(null)}
                onConfirm={async () => {
                  await api.post(`${path}/secret/rotate`, {});
                  const s = await api.get<{ key: string }>(`${path}/secret`).catch(() => null);
                  toast('Secret rotated', 'success');
                  if (s?.key) setSecret(s.key);
                }}
              />
            )}
            {open === 'recover' && (
              <RecoverDialog appId={appId} endpoint={e} onClose={() => setOpen(null)} onDone={stats.reload} />
            )}
            {open === 'delete' && (
              <Confirm
                title="Delete endpoint"
                message={`Delete ${e.url}? Pending deliveries to it are dropped.`}
                confirmLabel="Delete"
                danger
                onClose={() => setOpen(null)}
                onConfirm={async () => {
                  await api.del(path);
                  toast('Endpoint deleted', 'success');
                  navigate(endpointsPath(session, appId));
                }}
              />
            )}
            {secret && <SecretOnce secret={secret} onClose={() => setSecret(null)} />}
          </>
        )}
      </Section>
    </section>
  );
}
