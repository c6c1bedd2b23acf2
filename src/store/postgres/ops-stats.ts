import type { DeliveryCounts, DurationStats, SeriesPoint, StatsScope } from '../ops-port.js';
import { fillSeries, idFloor, p95Offset } from '../ops-rows.js';
import { num, numOrNull } from '../rows.js';
import { type Ctx, lookupKey, Params, where } from './sql.js';

/**
 * Stats over a window. Delivery and attempt ids embed their creation time, so
 * the window is an id range that seeks on (endpoint_id, id), (app_id, id) or
 * the primary key; only the filters the scope names are added.
 */
function scopeWhere(table: 'd' | 'a', scope: StatsScope, p: Params): string {
  const lo = idFloor(table === 'd' ? 'dlv' : 'atmpt', scope.since);
  const eventType =
    scope.eventType === undefined
      ? null
      : table === 'd'
        ? `EXISTS (SELECT 1 FROM messages m WHERE m.id = d.msg_id AND m.event_type = ${p.add(scope.eventType)})`
        : `a.event_type = ${p.add(scope.eventType)}`;
  return where([
    scope.endpointId === undefined ? null : `${table}.endpoint_id = ${p.add(lookupKey(scope.endpointId))}`,
    scope.appId === undefined ? null : `${table}.app_id = ${p.add(lookupKey(scope.appId))}`,
    `${table}.id >= ${p.add(lo)}`,
    `${table}.created_at >= ${p.add(scope.since)}`,
    `${table}.created_at < ${p.add(scope.until)}`,
    eventType,
  ]);
}

export async function deliveryCounts(ctx: Ctx, scope: StatsScope): Promise<DeliveryCounts> {
  const p = new Params();
  const { rows } = await ctx.db.query(
    `SELECT d.status AS status, COUNT(*) AS n FROM deliveries d ${scopeWhere('d', scope, p)} GROUP BY d.status`,
    p.values,
  );
  const out = { pending: 0, sending: 0, succeeded: 0, failed: 0 };
  for (const r of rows) {
    const key = (['pending', 'sending', 'succeeded', 'failed'] as const)[num(r.status)];
    if (key) out[key] = num(r.n);
  }
  return out;
}

export async function deliverySeries(ctx: Ctx, scope: StatsScope, bucketMs: number): Promise<SeriesPoint[]> {
  const p = new Params();
  const w = scopeWhere('d', scope, p);
  const { rows } = await ctx.db.query(
    `SELECT (d.created_at - ${p.add(scope.since)}::bigint) / ${p.add(bucketMs)}::bigint AS bucket,
       COUNT(*) FILTER (WHERE d.status = 2) AS succeeded, COUNT(*) FILTER (WHERE d.status = 3) AS failed
     FROM deliveries d ${w} GROUP BY 1`,
    p.values,
  );
  return fillSeries(scope, bucketMs, rows);
}

export async function attemptDurations(ctx: Ctx, scope: StatsScope): Promise<DurationStats> {
  const p = new Params();
  const w = scopeWhere('a', scope, p);
  const { rows } = await ctx.db.query(
    `SELECT COUNT(*) AS n, AVG(a.response_duration_ms)::float8 AS avg FROM attempts a ${w}`,
    p.values,
  );
  const attempts = num(rows[0]?.n ?? 0);
  if (attempts === 0) return { attempts: 0, avgMs: 0, p95Ms: 0 };
  const q = new Params();
  const w2 = scopeWhere('a', scope, q);
  const nth = await ctx.db.query(
    `SELECT a.response_duration_ms AS ms FROM attempts a ${w2}
     ORDER BY a.response_duration_ms LIMIT 1 OFFSET ${q.add(p95Offset(attempts))}`,
    q.values,
  );
  return { attempts, avgMs: Math.round(num(rows[0]?.avg ?? 0)), p95Ms: num(nth.rows[0]?.ms ?? 0) };
}

export async function queueSnapshot(ctx: Ctx): Promise<{ depth: number; oldestDueAt: number | null }> {
  const { rows } = await ctx.db.query(
    `SELECT COUNT(*) AS n, MIN(next_attempt_at) FILTER (WHERE status = 0) AS oldest
     FROM deliveries WHERE status IN (0, 1)`,
  );
  return { depth: num(rows[0]?.n ?? 0), oldestDueAt: numOrNull(rows[0]?.oldest) };
}

/** 0 when the inbound tables do not exist (migration 0002 not shipped with this build). */
export async function countInboundEvents(ctx: Ctx, since: number): Promise<number> {
  const { rows: exists } = await ctx.db.query("SELECT to_regclass('inbound_events') IS NOT NULL AS ok");
  if (!exists[0]?.ok) return 0;
  const { rows } = await ctx.db.query('SELECT COUNT(*) AS n FROM inbound_events WHERE received_at >= $1', [since]);
  return num(rows[0]?.n ?? 0);
}
