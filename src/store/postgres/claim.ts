import type { TriggerType } from '../../core/types.js';
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
 * due. The two are separate branches of a UNION ALL, each walking its own
 * partial index in order (deliveries_leased, deliveries_due); Append runs
 * the second only for what the first did not fill, and LockRows locks only
 * the rows the outer LIMIT pulls. One branch over `status IN (0, 1)` would
 * walk past every in-flight (leased) row on each claim. Measured on the dev
 * box (PG 15, 10,000 leased rows ahead of the pending ones, LIMIT 10):
 * 3.7 ms per claim with one branch, 0.15 ms with two. Expired leases go
 * first; within each branch the order is the one the SQLite adapter uses.
 *
 * Deliveries to disabled endpoints stay pending (they resume when it is
 * enabled); those of `skipEndpointIds` (at their in-flight cap) are left for
 * a later claim. The final SELECT reads message and endpoint as
 * to_jsonb(row), so the row mappers see plain column names; BIGINT times
 * become JSON numbers, which hold them exactly (all below 2^53).
 */
const CLAIM = `
  WITH due AS (
    SELECT id FROM (
      SELECT d.id FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id
      WHERE d.status = 1 AND d.lease_until < $1 AND NOT e.disabled AND d.endpoint_id <> ALL($4::text[])
      ORDER BY d.lease_until, d.id
      LIMIT $3
      FOR UPDATE OF d SKIP LOCKED
    ) expired
    UNION ALL
    SELECT id FROM (
      SELECT d.id FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id
      WHERE d.status = 0 AND d.next_attempt_at <= $1 AND NOT e.disabled AND d.endpoint_id <> ALL($4::text[])
      ORDER BY d.next_attempt_at, d.id
      LIMIT $3
      FOR UPDATE OF d SKIP LOCKED
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

export async function claimDeliveries(
  ctx: Ctx,
  now: number,
  limit: number,
  leaseMs: number,
  skipEndpointIds: readonly string[],
): Promise<ClaimedDelivery[]> {
  if (limit <= 0) return [];
  const { rows } = await ctx.db.engine.query<{ d: Row; m: Row; e: Row }>(CLAIM, [
    now,
    now + leaseMs,
    Math.floor(limit),
    skipEndpointIds.map(lookupKey),
  ]);
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
