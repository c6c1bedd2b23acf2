import type { TriggerType } from '../../core/types.js';
import { FIFO_ENDPOINTS, fifoHead, fifoIdle } from '../fifo-sql.js';
import type { ClaimedDelivery } from '../port.js';
import { deliveryFromRow, endpointFromRow, liveSecrets, messageFromRow, num, type Row, strOrNull } from '../rows.js';
import { type Ctx, lookupKey } from './sql.js';

/**
 * Claiming is one statement (graphile-worker's getJobs, pg-boss's
 * fetchNextJob): pick due rows with FOR UPDATE SKIP LOCKED, lease them, and
 * return them joined with their message and endpoint. Workers on other nodes
 * skip the rows this one is locking instead of queueing behind it, and a row
 * another worker leased in the meantime is re-checked after the lock and
 * dropped (its status is no longer due), so a delivery is never handed out
 * twice while its lease holds.
 *
 * Due means sending with an expired lease (its worker died), or pending and
 * due. The two are separate branches of a UNION ALL: expired leases walk
 * deliveries_leased in order and go first. Pending work is taken endpoint by
 * endpoint: a recursive CTE does a loose index scan over
 * deliveries_pending_endpoint (one seek per endpoint with pending rows), and
 * a LATERAL subquery locks up to `perEndpoint` due rows of each. Endpoints at
 * their in-flight cap ($4) and disabled ones are stepped over whatever their
 * backlog: a due-order scan had to walk a never-answering endpoint's whole
 * queue (~500 rows/s at 1,000 msg/s with every other message to it) to reach
 * a healthy endpoint's row. The walk starts after the endpoint where the last
 * full claim stopped ($6), so every endpoint gets its turn. Append runs the
 * second branch only for what the first did not fill, and LockRows locks
 * only the rows the outer LIMIT pulls.
 *
 * FIFO endpoints' deliveries (those with a `seq`) are a third branch, before
 * the pending one and invisible to it (its index leaves them out): a loose
 * scan over deliveries_fifo finds each FIFO endpoint with a queue, and one
 * whose deliveries are all pending gives its head (lowest seq) if due. The
 * head is picked first and then locked by id, SKIP LOCKED: a claimer that
 * finds it locked, or no longer pending once the lock is granted (the
 * re-check reads the latest row), takes nothing of that endpoint, never the
 * delivery behind it. So two nodes never send two deliveries of one FIFO
 * endpoint at once: the head changes only when the one before is done, and
 * requeued deliveries join the back.
 *
 * The final SELECT reads message and endpoint as to_jsonb(row), so the row
 * mappers see plain column names; BIGINT times become JSON numbers, which
 * hold them exactly (all below 2^53).
 */
const CLAIM = `
  WITH RECURSIVE eps(id) AS (
    (SELECT endpoint_id FROM deliveries WHERE status = 0 AND seq IS NULL ORDER BY endpoint_id LIMIT 1)
    UNION ALL
    SELECT (SELECT d.endpoint_id FROM deliveries d WHERE d.status = 0 AND d.seq IS NULL AND d.endpoint_id > eps.id
            ORDER BY d.endpoint_id LIMIT 1)
    FROM eps WHERE eps.id IS NOT NULL
  ), ${FIFO_ENDPOINTS}, due AS (
    SELECT id FROM (
      SELECT d.id FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id
      WHERE d.status = 1 AND d.lease_until < $1 AND NOT e.disabled AND d.endpoint_id <> ALL($4::text[])
      ORDER BY d.lease_until, d.id
      LIMIT $3
      FOR UPDATE OF d SKIP LOCKED
    ) expired
    UNION ALL
    SELECT id FROM (
      SELECT d.id FROM (
        SELECT ${fifoHead('f.id')} AS head FROM fifo_eps f JOIN endpoints e ON e.id = f.id
        WHERE NOT e.disabled AND f.id <> ALL($4::text[]) AND ${fifoIdle('f.id')}
        ORDER BY f.id <= $6, f.id
      ) w JOIN deliveries d ON d.id = w.head
      WHERE d.status = 0 AND d.next_attempt_at <= $1
      LIMIT $3
      FOR UPDATE OF d SKIP LOCKED
    ) heads
    UNION ALL
    SELECT id FROM (
      SELECT p.id FROM (
        SELECT eps.id FROM eps JOIN endpoints e ON e.id = eps.id
        WHERE NOT e.disabled AND eps.id <> ALL($4::text[])
        ORDER BY eps.id <= $6, eps.id
      ) w CROSS JOIN LATERAL (
        SELECT d.id FROM deliveries d
        WHERE d.status = 0 AND d.seq IS NULL AND d.endpoint_id = w.id AND d.next_attempt_at <= $1
        ORDER BY d.next_attempt_at
        LIMIT $5
        FOR UPDATE OF d SKIP LOCKED
      ) p
      LIMIT $3
    ) pending
    LIMIT $3
  ), claimed AS (
    UPDATE deliveries d SET status = 1, lease_until = $2, updated_at = $1
    FROM due WHERE d.id = due.id
    RETURNING d.*
  )
  SELECT to_jsonb(c) AS d, to_jsonb(m) AS m, to_jsonb(e) AS e
  FROM claimed c JOIN messages m ON m.id = c.msg_id JOIN endpoints e ON e.id = c.endpoint_id
  ORDER BY c.next_attempt_at, c.id`;

/** Where the last full claim's endpoint walk stopped, per store ('' = from the start). */
const cursors = new WeakMap<Ctx, string>();

export async function claimDeliveries(
  ctx: Ctx,
  now: number,
  limit: number,
  leaseMs: number,
  skipEndpointIds: readonly string[],
  perEndpoint = limit,
): Promise<ClaimedDelivery[]> {
  if (limit <= 0) return [];
  const cursor = cursors.get(ctx) ?? '';
  const { rows } = await ctx.db.engine.query<{ d: Row; m: Row; e: Row }>(CLAIM, [
    now,
    now + leaseMs,
    Math.floor(limit),
    skipEndpointIds.map(lookupKey),
    Math.max(1, Math.floor(perEndpoint)),
    cursor,
  ]);
  // A full claim may have left work behind: the next one starts after the last endpoint served.
  // Walk order: ids after the cursor first, then the wrapped-around ones.
  const later = (a: string, b: string) => (a > cursor === b > cursor ? a > b : b > cursor);
  let last = '';
  for (const { d } of rows) {
    const id = String(d.endpoint_id);
    if (last === '' || later(id, last)) last = id;
  }
  cursors.set(ctx, rows.length >= limit ? last : '');
  return rows.map(({ d, m, e }) => {
    const endpoint = endpointFromRow(e, ctx.cipher);
    return {
      delivery: deliveryFromRow(d),
      message: messageFromRow(m),
      endpoint: { ...endpoint, secrets: liveSecrets(endpoint.secrets, now) },
      triggerType: num(d.trigger_type) as TriggerType,
      parentAttemptId: strOrNull(d.parent_attempt_id),
    };
  });
}

/** Back to pending as it was: same due time, attempt count and trigger (a manual resend stays manual). */
export async function releaseDeliveries(ctx: Ctx, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await ctx.db.engine.query('UPDATE deliveries SET status = 0, lease_until = NULL WHERE status = 1 AND id = ANY($1)', [
    ids.map(lookupKey),
  ]);
}
