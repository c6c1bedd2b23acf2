import type {
  AttemptCounts,
  DeliveryCounts,
  DurationStats,
  MessageDeliveryCounts,
  SeriesPoint,
  StatsScope,
} from '../ops-port.js';
import {
  addDeliveryCount,
  attemptCountsFromRows,
  emptyDeliveryCounts,
  fillSeries,
  idFloor,
  messageCountsFromRows,
  p95Offset,
  retryingSql,
} from '../ops-rows.js';
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
    `SELECT d.status AS status, ${retryingSql('d')} AS retrying, COUNT(*) AS n
     FROM deliveries d ${scopeWhere('d', scope, p)} GROUP BY 1, 2`,
    p.values,
  );
  const out = emptyDeliveryCounts();
  for (const r of rows) addDeliveryCount(out, r);
  return out;
}

export async function attemptCounts(ctx: Ctx, scope: StatsScope): Promise<AttemptCounts> {
  const p = new Params();
  const { rows } = await ctx.db.query(
    `SELECT a.status AS status, a.error_kind AS error_kind, COUNT(*) AS n
     FROM attempts a ${scopeWhere('a', scope, p)} GROUP BY 1, 2`,
    p.values,
  );
  return attemptCountsFromRows(rows);
}

export async function attemptSeries(
  ctx: Ctx,
  scope: StatsScope,
  bucketMs: number,
  origin: number,
): Promise<SeriesPoint[]> {
  const p = new Params();
  const w = scopeWhere('a', scope, p);
  const { rows } = await ctx.db.query(
    `SELECT (a.created_at - ${p.add(origin)}::bigint) / ${p.add(bucketMs)}::bigint AS bucket,
       COUNT(*) FILTER (WHERE a.status = 0) AS succeeded, COUNT(*) FILTER (WHERE a.status <> 0) AS failed
     FROM attempts a ${w} GROUP BY 1`,
    p.values,
  );
  return fillSeries(scope, bucketMs, origin, rows);
}

export async function messageDeliveryCounts(
  ctx: Ctx,
  appId: string,
  msgIds: readonly string[],
): Promise<MessageDeliveryCounts[]> {
  if (msgIds.length === 0) return [];
  const { rows } = await ctx.db.query(
    `SELECT msg_id, status, ${retryingSql()} AS retrying, COUNT(*) AS n FROM deliveries
     WHERE msg_id = ANY($1) AND app_id = $2 GROUP BY 1, 2, 3`,
    [msgIds.map(lookupKey), lookupKey(appId)],
  );
  return messageCountsFromRows(rows);
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
