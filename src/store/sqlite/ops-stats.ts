import type { OpsStore, StatsScope } from '../ops-port.js';
import { fillSeries, idFloor, p95Offset } from '../ops-rows.js';
import { num, numOrNull, type Row } from '../rows.js';
import type { Ctx, Lazy } from './db.js';

type StatsOps = Pick<
  OpsStore,
  'deliveryCounts' | 'deliverySeries' | 'attemptDurations' | 'queueSnapshot' | 'countInboundEvents'
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
    (a) => `SELECT d.status AS status, COUNT(*) AS n FROM deliveries d WHERE ${scopeSql('d', a)} GROUP BY d.status`,
  );
  const series = perAnchor(
    ctx,
    (a) => `SELECT CAST((d.created_at - @since) / @bucket AS INTEGER) AS bucket,
        SUM(CASE WHEN d.status = 2 THEN 1 ELSE 0 END) AS succeeded,
        SUM(CASE WHEN d.status = 3 THEN 1 ELSE 0 END) AS failed
      FROM deliveries d WHERE ${scopeSql('d', a)} GROUP BY bucket`,
  );
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
      const out = { pending: 0, sending: 0, succeeded: 0, failed: 0 };
      for (const r of counts[anchorOf(scope)]().all(params(scope, 'dlv'))) {
        const key = (['pending', 'sending', 'succeeded', 'failed'] as const)[num(r.status)];
        if (key) out[key] = num(r.n);
      }
      return out;
    },
    async deliverySeries(scope, bucketMs) {
      const rows = series[anchorOf(scope)]().all({ ...params(scope, 'dlv'), bucket: bucketMs });
      return fillSeries(scope, bucketMs, rows);
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
