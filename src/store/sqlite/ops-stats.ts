import type { OpsStore, StatsScope } from '../ops-port.js';
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
import { num, numOrNull, type Row, toJson } from '../rows.js';
import type { Ctx, Lazy } from './db.js';

type StatsOps = Pick<
  OpsStore,
  | 'deliveryCounts'
  | 'attemptCounts'
  | 'attemptSeries'
  | 'attemptDurations'
  | 'messageDeliveryCounts'
  | 'queueSnapshot'
  | 'countInboundEvents'
>;

/**
 * Stats over a window. Delivery and attempt ids embed their creation time, so
 * the window is an id range and each read seeks on (endpoint_id, id),
 * (app_id, id) or the primary key, whichever the scope names: one statement
 * per anchor, because SQLite cannot choose an index through `@x IS NULL OR`.
 */
type Anchor = 'endpoint_id' | 'app_id' | 'none';

const anchorOf = (s: StatsScope): Anchor => (s.endpointId ? 'endpoint_id' : s.appId ? 'app_id' : 'none');

function scopeSql(table: 'd' | 'a', anchor: Anchor): string {
  const head = anchor === 'none' ? '' : `${table}.${anchor} = @${anchor} AND `;
  const eventType =
    table === 'd'
      ? 'EXISTS (SELECT 1 FROM messages m WHERE m.id = d.msg_id AND m.event_type = @event_type)'
      : 'a.event_type = @event_type';
  return `${head}${table}.id >= @lo AND ${table}.created_at >= @since AND ${table}.created_at < @until
    AND (@app_id IS NULL OR +${table}.app_id = @app_id)
    AND (@endpoint_id IS NULL OR +${table}.endpoint_id = @endpoint_id)
    AND (@event_type IS NULL OR ${eventType})`;
}

function perAnchor(ctx: Ctx, build: (anchor: Anchor) => string): Record<Anchor, Lazy> {
  return {
    endpoint_id: ctx.prepare(build('endpoint_id')),
    app_id: ctx.prepare(build('app_id')),
    none: ctx.prepare(build('none')),
  };
}

function params(scope: StatsScope, prefix: 'dlv' | 'atmpt'): Row {
  return {
    lo: idFloor(prefix, scope.since),
    since: scope.since,
    until: scope.until,
    app_id: scope.appId ?? null,
    endpoint_id: scope.endpointId ?? null,
    event_type: scope.eventType ?? null,
  };
}

export function statsOps(ctx: Ctx): StatsOps {
  const counts = perAnchor(
    ctx,
    (a) => `SELECT d.status AS status, ${retryingSql('d')} AS retrying,
        COUNT(*) AS n FROM deliveries d WHERE ${scopeSql('d', a)} GROUP BY 1, 2`,
  );
  const attemptGroups = perAnchor(
    ctx,
    (a) => `SELECT a.status AS status, a.error_kind AS error_kind, COUNT(*) AS n
      FROM attempts a WHERE ${scopeSql('a', a)} GROUP BY 1, 2`,
  );
  const series = perAnchor(
    ctx,
    (a) => `SELECT CAST((a.created_at - @origin) / @bucket AS INTEGER) AS bucket,
        SUM(CASE WHEN a.status = 0 THEN 1 ELSE 0 END) AS succeeded,
        SUM(CASE WHEN a.status = 0 THEN 0 ELSE 1 END) AS failed
      FROM attempts a WHERE ${scopeSql('a', a)} GROUP BY bucket`,
  );
  const perMessage = ctx.prepare(`SELECT msg_id, status, ${retryingSql()} AS retrying, COUNT(*) AS n
    FROM deliveries WHERE msg_id IN (SELECT value FROM json_each(@ids)) AND app_id = @app_id GROUP BY 1, 2, 3`);
  const durations = perAnchor(
    ctx,
    (a) => `SELECT COUNT(*) AS n, AVG(a.response_duration_ms) AS avg FROM attempts a WHERE ${scopeSql('a', a)}`,
  );
  const nth = perAnchor(
    ctx,
    (a) => `SELECT a.response_duration_ms AS ms FROM attempts a WHERE ${scopeSql('a', a)}
      ORDER BY a.response_duration_ms LIMIT 1 OFFSET @offset`,
  );
  const queue = ctx.prepare(`SELECT COUNT(*) AS n, MIN(CASE WHEN status = 0 THEN next_attempt_at END) AS oldest
    FROM deliveries WHERE status IN (0, 1)`);
  const hasInbound = ctx.prepare("SELECT 1 AS ok FROM sqlite_master WHERE type = 'table' AND name = 'inbound_events'");

  return {
    async deliveryCounts(scope) {
      const out = emptyDeliveryCounts();
      for (const r of counts[anchorOf(scope)]().all(params(scope, 'dlv'))) addDeliveryCount(out, r);
      return out;
    },
    async attemptCounts(scope) {
      return attemptCountsFromRows(attemptGroups[anchorOf(scope)]().all(params(scope, 'atmpt')));
    },
    async attemptSeries(scope, bucketMs, origin) {
      const rows = series[anchorOf(scope)]().all({ ...params(scope, 'atmpt'), bucket: bucketMs, origin });
      return fillSeries(scope, bucketMs, origin, rows);
    },
    async messageDeliveryCounts(appId, msgIds) {
      if (msgIds.length === 0) return [];
      return messageCountsFromRows(perMessage().all({ ids: toJson(msgIds), app_id: appId }));
    },
    async attemptDurations(scope) {
      const p = params(scope, 'atmpt');
      const row = durations[anchorOf(scope)]().get(p);
      const attempts = num(row?.n ?? 0);
      if (attempts === 0) return { attempts: 0, avgMs: 0, p95Ms: 0 };
      const p95 = nth[anchorOf(scope)]().get({ ...p, offset: p95Offset(attempts) });
      return { attempts, avgMs: Math.round(num(row?.avg ?? 0)), p95Ms: num(p95?.ms ?? 0) };
    },
    async queueSnapshot() {
      const row = queue().get();
      return { depth: num(row?.n ?? 0), oldestDueAt: numOrNull(row?.oldest) };
    },
    async countInboundEvents(since) {
      if (!hasInbound().get()) return 0;
      const row = ctx.db.prepare('SELECT COUNT(*) AS n FROM inbound_events WHERE received_at >= ?').get(since) as
        | Row
        | undefined;
      return num(row?.n ?? 0);
    },
  };
}
