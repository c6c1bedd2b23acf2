import { useState } from 'preact/hooks';
import { isNotFound } from '../api';
import { AttemptError, StatusBadge } from '../components/Badges';
import { Chart } from '../components/Chart';
import { Stat } from '../components/Stat';
import { Empty, ErrorBox, Loading } from '../components/States';
import { useCtx } from '../context';
import { clock, count, dateTime, duration, errorText, percent } from '../format';
import { useAsync, useInterval } from '../hooks';
import { appApi, endpointPath } from '../links';
import { href } from '../router';
import type { Overview } from '../types';
import { FirstSteps } from './FirstSteps';

const POLL_MS = 10_000;

/**
 * Delivery health over the last 24 hours; polls every 10 s. Every failed attempt counts as a
 * failure, whatever its cause, and an endpoint whose last attempt failed is listed as failing
 * with its last error. A portal session sees its application only.
 */
export function OverviewPage() {
  const { api, session } = useCtx();
  const path = session.admin ? '/api/v1/stats/overview' : `${appApi(session.appId!)}/stats`;
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);
  const [kind, setKind] = useState<'bar' | 'line'>('bar');
  const stats = useAsync(async () => {
    const value = await api.get<Partial<Overview>>(path, { days: 1, granularity: 'hour' });
    setUpdatedAt(new Date());
    return value;
  }, [path]);
  useInterval(stats.reload, POLL_MS);

  const s = stats.data;
  const tried = s?.attempts?.total ?? 0;
  const errorKinds = Object.entries(s?.attempts?.byErrorKind ?? {}).sort((a, b) => b[1] - a[1]);
  const unavailable = isNotFound(stats.error);
  return (
    <section>
      <div class="page-head">
        <h1>Overview</h1>
        <p class="updated" aria-live="off">
          <span data-testid="updated-at">{updatedAt ? `updated ${clock(updatedAt)}` : 'updating…'}</span>
          {stats.error && !unavailable && s ? (
            <span class="error"> · last refresh failed: {errorText(stats.error)}</span>
          ) : null}
          <button type="button" data-testid="refresh" onClick={stats.reload} disabled={stats.loading}>
            Refresh
          </button>
        </p>
      </div>
      {session.admin && s && !unavailable && <FirstSteps delivered={(s.attempts?.total ?? 0) > 0} />}
      {unavailable && <Empty>This server does not report delivery statistics yet.</Empty>}
      {!unavailable && !s && stats.error ? <ErrorBox error={stats.error} retry={stats.reload} /> : null}
      {!unavailable && !s && !stats.error && <Loading />}
      {s && !unavailable && (
        <>
          <div class="stats">
            <Stat
              label="Attempt success (24 h)"
              value={tried ? percent(s.successRate) : '—'}
              tone={tried && (s.attempts?.failed ?? 0) > 0 ? 'bad' : undefined}
              testid="overview-success-rate"
            />
            <Stat label="Deliveries (24 h)" value={count(s.deliveries?.total)} testid="overview-total" />
            <Stat
              label="Failed attempts"
              value={count(s.attempts?.failed)}
              tone={(s.attempts?.failed ?? 0) > 0 ? 'bad' : undefined}
              testid="overview-failed-attempts"
            />
            <Stat
              label="Retrying"
              value={count(s.deliveries?.retrying)}
              tone={(s.deliveries?.retrying ?? 0) > 0 ? 'warn' : undefined}
              testid="overview-retrying"
            />
            <Stat
              label="Exhausted"
              value={count(s.deliveries?.exhausted)}
              tone={(s.deliveries?.exhausted ?? 0) > 0 ? 'bad' : undefined}
              testid="overview-exhausted"
            />
            <Stat label="Average duration" value={tried ? duration(s.avgDurationMs) : '—'} testid="overview-avg" />
            <Stat label="p95 duration" value={tried ? duration(s.p95DurationMs) : '—'} testid="overview-p95" />
            <Stat label="Queue depth" value={count(s.queueDepth)} testid="overview-queue" />
            {session.admin && (
              <Stat label="Inbound events (24 h)" value={count(s.inbound24h)} testid="overview-inbound" />
            )}
          </div>
          {errorKinds.length > 0 && (
            <p class="muted" data-testid="overview-error-kinds">
              Failed attempts by cause: {errorKinds.map(([k, n]) => `${k} ${n}`).join(', ')}
            </p>
          )}
          <div class="card">
            <div class="card-head">
              <h2>Attempts over time</h2>
              <label class="inline">
                Chart
                <select value={kind} onChange={(e) => setKind(e.currentTarget.value as 'bar' | 'line')}>
                  <option value="bar">Bars</option>
                  <option value="line">Lines</option>
                </select>
              </label>
            </div>
            {tried > 0 ? (
              <Chart series={s.series ?? []} kind={kind} label="Attempts per hour, last 24 hours" />
            ) : (
              <Empty>No attempts in this window.</Empty>
            )}
          </div>
          <div class="card" data-testid="overview-failing">
            <h2>Failing endpoints</h2>
            {(s.failingEndpoints ?? []).length === 0 ? (
              <p class="muted">No endpoint is failing: the last attempt to each succeeded.</p>
            ) : (
              <ul class="plain failing">
                {(s.failingEndpoints ?? []).map((f) => (
                  <li key={f.endpointId} data-testid="failing-endpoint" data-id={f.endpointId}>
                    <div>
                      <StatusBadge status={f.state} testid="failing-state" />{' '}
                      <a class="break" href={href(endpointPath(session, f.appId, f.endpointId))}>
                        {f.url || f.endpointId}
                      </a>{' '}
                      <span class="muted">
                        {f.endpointUid ? `${f.endpointUid} · ` : ''}
                        {f.appName ?? f.appId} · {f.consecutiveFailures} failed in a row
                      </span>
                    </div>
                    {f.lastError && (
                      <div class="muted">
                        <AttemptError kind={f.lastError.errorKind} detail={f.lastError.errorDetail} />
                        {f.lastError.responseStatusCode ? ` (HTTP ${f.lastError.responseStatusCode})` : ''}
                        {f.lastFailureAt ? ` · ${dateTime(f.lastFailureAt)}` : ''}
                      </div>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </div>
        </>
      )}
    </section>
  );
}
