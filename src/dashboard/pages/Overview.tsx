import { useState } from 'preact/hooks';
import { isNotFound } from '../api';
import { Chart } from '../components/Chart';
import { Stat } from '../components/Stat';
import { Empty, ErrorBox, Loading } from '../components/States';
import { useCtx } from '../context';
import { clock, count, duration, errorText, percent } from '../format';
import { useAsync, useInterval } from '../hooks';
import { appApi, endpointPath } from '../links';
import { href } from '../router';
import type { Overview } from '../types';
import { FirstSteps } from './FirstSteps';

const POLL_MS = 10_000;

/** Delivery health over the last 24 hours; polls every 10 s. A portal session sees its application only. */
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
      {session.admin && s && !unavailable && <FirstSteps delivered={(s.total ?? 0) > 0} />}
      {unavailable && <Empty>This server does not report delivery statistics yet.</Empty>}
      {!unavailable && !s && stats.error ? <ErrorBox error={stats.error} retry={stats.reload} /> : null}
      {!unavailable && !s && !stats.error && <Loading />}
      {s && !unavailable && (
        <>
          <div class="stats">
            <Stat
              label="Success rate (24 h)"
              value={s.total ? percent(s.successRate ?? rate(s)) : '—'}
              testid="overview-success-rate"
            />
            <Stat label="Deliveries (24 h)" value={count(s.total)} testid="overview-total" />
            <Stat label="Average duration" value={s.total ? duration(s.avgDurationMs) : '—'} testid="overview-avg" />
            <Stat label="p95 duration" value={s.total ? duration(s.p95DurationMs) : '—'} testid="overview-p95" />
            <Stat label="Queue depth" value={count(s.queueDepth)} testid="overview-queue" />
            {session.admin && (
              <Stat label="Inbound events (24 h)" value={count(s.inbound24h)} testid="overview-inbound" />
            )}
          </div>
          <div class="card">
            <div class="card-head">
              <h2>Deliveries over time</h2>
              <label class="inline">
                Chart
                <select value={kind} onChange={(e) => setKind(e.currentTarget.value as 'bar' | 'line')}>
                  <option value="bar">Bars</option>
                  <option value="line">Lines</option>
                </select>
              </label>
            </div>
            {(s.series ?? []).length > 0 ? (
              <Chart series={s.series ?? []} kind={kind} label="Deliveries per hour, last 24 hours" />
            ) : (
              <Empty>No deliveries in this window.</Empty>
            )}
          </div>
          <div class="card" data-testid="overview-failing">
            <h2>Failing endpoints</h2>
            {(s.failingEndpoints ?? []).length === 0 ? (
              <p class="muted">No endpoint is failing.</p>
            ) : (
              <ul class="plain">
                {(s.failingEndpoints ?? []).map((f) => (
                  <li key={f.endpointId} data-testid="failing-endpoint">
                    <a href={href(endpointPath(session, f.appId, f.endpointId))} title={f.url}>
                      {f.url || f.endpointId}
                    </a>{' '}
                    <span class="muted">{f.appId}</span>
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

function rate(s: Partial<Overview>): number | null {
  const finished = (s.succeeded ?? 0) + (s.failed ?? 0);
  return finished > 0 ? (s.succeeded ?? 0) / finished : null;
}
