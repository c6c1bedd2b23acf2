import type { Context } from '../context.js';
import { deliveriesOut } from '../core/delivery-state.js';
import { withoutUserinfo } from '../core/display-url.js';
import type { FailingEndpoint, StatsScope } from '../store/ops-port.js';

/**
 * Delivery stats over a window: deliveries created in it by state, attempts
 * made in it by outcome (every failed attempt counts, whatever its error
 * kind), attempt durations, failing endpoints, and a dense series of
 * attempts per hour or per day. The window is exactly the one asked for,
 * `since` to `until` inclusive; only the series' buckets are aligned to the
 * granularity (the first bucket starts at or before `since`).
 */
const DAY = 86_400_000;
/** How many failing endpoints get their last error looked up. */
const LAST_ERRORS = 20;

export interface StatsWindow {
  since: number;
  until: number;
  bucketMs: number;
  granularity: 'hour' | 'day';
}

async function failingOut(ctx: Context, failing: FailingEndpoint[]) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return Promise.all(
    failing.map(async (f, i) => {
      const app = await ctx.store.getApp(f.appId);
      const last =
        i < LAST_ERRORS
          ? (await ctx.store.listAttempts(f.appId, { endpointId: f.endpointId, status: 'failed' }, { limit: 1 }))
              .data[0]
          : undefined;
      return {
        appId: f.appId,
        appName: app?.name ?? null,
        appUid: app?.uid ?? null,
        endpointId: f.endpointId,
        endpointUid: f.uid,
        url: withoutUserinfo(f.url),
        state: f.state,
        failingSince: iso(f.failingSince),
        consecutiveFailures: f.consecutiveFailures,
        lastFailureAt: iso(f.lastFailureAt),
        lastError: last
          ? {
              errorKind: last.errorKind ?? 'http_error',
              errorDetail: withoutUserinfo(last.errorDetail),
              responseStatusCode: last.responseStatusCode,
              timestamp: iso(last.createdAt),
            }
          : null,
      };
    }),
  );
}

export async function windowStats(
  ctx: Context,
  scope: Omit<StatsScope, 'since' | 'until'>,
  w: StatsWindow,
  extra: { overview: boolean },
) {
  const s: StatsScope = { ...scope, since: w.since, until: w.until + 1 };
  const origin = Math.floor(w.since / w.bucketMs) * w.bucketMs;
  const [deliveries, attempts, durations, series, failing, queue, inbound] = await Promise.all([
    ctx.store.deliveryCounts(s),
    ctx.store.attemptCounts(s),
    ctx.store.attemptDurations(s),
    ctx.store.attemptSeries(s, w.bucketMs, origin),
    ctx.store.failingEndpoints(scope.appId ?? null, 100),
    extra.overview ? ctx.store.queueSnapshot() : Promise.resolve(null),
    extra.overview ? ctx.store.countInboundEvents(ctx.now() - DAY) : Promise.resolve(0),
  ]);
  const tried = attempts.succeeded + attempts.failed;
  const unfinished = deliveries.pending + deliveries.retrying + deliveries.sending;
  return {
    since: new Date(w.since).toISOString(),
    until: new Date(w.until).toISOString(),
    granularity: w.granularity,
    deliveries: deliveriesOut(deliveries),
    attempts: {
      total: tried,
      succeeded: attempts.succeeded,
      failed: attempts.failed,
      byErrorKind: attempts.byErrorKind,
    },
    /** Successful attempts over all attempts; null when nothing was tried. */
    successRate: tried === 0 ? null : attempts.succeeded / tried,
    avgDurationMs: durations.avgMs,
    p95DurationMs: durations.p95Ms,
    queueDepth: queue ? queue.depth : unfinished,
    failingEndpoints: await failingOut(
      ctx,
      failing.filter((f) => scope.endpointId === undefined || f.endpointId === scope.endpointId),
    ),
    inbound24h: inbound,
    series: series.map((p) => ({ t: new Date(p.t).toISOString(), succeeded: p.succeeded, failed: p.failed })),
  };
}
