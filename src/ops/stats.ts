import type { ApiContext } from '../api/context.js';
import { dateParam, intParam, type Query, stringParam } from '../api/params.js';
import { invalid } from '../core/errors.js';
import type { StatsScope } from '../store/ops-port.js';

/**
 * Delivery stats over a window, the shape the dashboard charts: counts of
 * deliveries created in the window by status, attempt durations, the queue,
 * failing endpoints, and a dense series per hour or per day.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface StatsWindow {
  since: number;
  until: number;
  bucketMs: number;
  granularity: 'hour' | 'day';
}

/** `?days=1&granularity=hour|day` or `?since=&until=`; the start is aligned to the granularity. */
export function statsWindow(q: Query, now: number): StatsWindow {
  const days = intParam(q, 'days', 1, 366);
  const until = dateParam(q, 'until') ?? now;
  const rawSince = dateParam(q, 'since') ?? until - (days ?? 1) * DAY;
  if (rawSince >= until) throw invalid('since must be before until.');
  const g = stringParam(q, 'granularity') ?? (until - rawSince > 2 * DAY ? 'day' : 'hour');
  if (g !== 'hour' && g !== 'day') throw invalid('granularity must be hour or day.');
  const bucketMs = g === 'hour' ? HOUR : DAY;
  if ((until - rawSince) / bucketMs > 5000) throw invalid('The window has too many points; use granularity=day.');
  return { since: Math.floor(rawSince / bucketMs) * bucketMs, until, bucketMs, granularity: g };
}

export async function windowStats(
  ctx: ApiContext,
  scope: Omit<StatsScope, 'since' | 'until'>,
  w: StatsWindow,
  extra: { overview: boolean },
) {
  const s: StatsScope = { ...scope, since: w.since, until: w.until + 1 };
  const [counts, durations, series, failing, queue, inbound] = await Promise.all([
    ctx.store.deliveryCounts(s),
    ctx.store.attemptDurations(s),
    ctx.store.deliverySeries(s, w.bucketMs),
    ctx.store.failingEndpoints(scope.appId ?? null, 100),
    extra.overview ? ctx.store.queueSnapshot() : Promise.resolve(null),
    extra.overview ? ctx.store.countInboundEvents(ctx.now() - DAY) : Promise.resolve(0),
  ]);
  const finished = counts.succeeded + counts.failed;
  return {
    since: new Date(w.since).toISOString(),
    until: new Date(w.until).toISOString(),
    granularity: w.granularity,
    total: finished + counts.pending + counts.sending,
    succeeded: counts.succeeded,
    failed: counts.failed,
    pending: counts.pending + counts.sending,
    successRate: finished === 0 ? 0 : counts.succeeded / finished,
    avgDurationMs: durations.avgMs,
    p95DurationMs: durations.p95Ms,
    attempts: durations.attempts,
    queueDepth: queue ? queue.depth : counts.pending + counts.sending,
    failingEndpoints: failing
      .filter((f) => scope.endpointId === undefined || f.endpointId === scope.endpointId)
      .map((f) => ({
        appId: f.appId,
        endpointId: f.endpointId,
        url: f.url,
        failingSince: new Date(f.failingSince).toISOString(),
      })),
    inbound24h: inbound,
    series: series.map((p) => ({ t: new Date(p.t).toISOString(), succeeded: p.succeeded, failed: p.failed })),
  };
}
