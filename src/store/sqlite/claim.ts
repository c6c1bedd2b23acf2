import type { Endpoint, Message, TriggerType } from '../../core/types.js';
import type { ClaimedDelivery, Store } from '../port.js';
import { deliveryFromRow, endpointFromRow, liveSecrets, messageFromRow, num, strOrNull, toJson } from '../rows.js';
import type { Ctx } from './db.js';

/**
 * Claiming: one UPDATE ... WHERE id IN (SELECT ... LIMIT n) RETURNING, so no
 * two workers can take the same delivery (SQLite serialises writers; there is
 * no SKIP LOCKED to need). Due means sending with an expired lease (its worker
 * died; these go first) or pending and due. Each branch walks its own partial
 * index (deliveries_leased, deliveries_due), so rows being sent right now are
 * never scanned: with one index over both states, every claim walked past all
 * in-flight rows and took 25% of the engine's CPU at 1,000 messages/s. No id tie-break in ORDER BY: a group commit
 * gives thousands of deliveries one due time, and sorting them all to take
 * `limit` would cost more than the index's insertion order is worth.
 *
 * Deliveries to disabled endpoints stay pending (they resume when it is
 * enabled), and those of `skipEndpointIds` (at their in-flight cap) are left
 * for a later claim.
 */
/**
 * Skipped endpoints (lane full) and disabled ones are filtered out while
 * scanning, so a large backlog of theirs at the head of the queue would make
 * every claim walk all of it: measured, 20,000 queued deliveries of one busy
 * endpoint made the claim 13% of the engine's CPU. So a claim looks at the
 * first SCAN_WINDOW due rows only, and at most every FULL_SCAN_EVERY_MS at the
 * whole queue (LIMIT -1), so work hidden behind such a backlog still moves.
 */
const SCAN_WINDOW = 1024;
const FULL_SCAN_EVERY_MS = 250;

export function claimOps(main: Ctx): Pick<Store, 'claimDeliveries' | 'releaseDeliveries'> {
  let lastFullScan = Number.NEGATIVE_INFINITY;
  // Claims and releases are engine bookkeeping: they run on the NORMAL-sync connection.
  const ctx = main.engine;
  const claim = ctx.prepare(`UPDATE deliveries SET status = 1, lease_until = @lease_until, updated_at = @now
    WHERE id IN (
      SELECT id FROM (
        SELECT d.id FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id
        WHERE d.status = 1 AND d.lease_until < @now AND e.disabled = 0
          AND d.endpoint_id NOT IN (SELECT value FROM json_each(@skip))
        ORDER BY d.lease_until LIMIT @limit)
      UNION ALL
      SELECT id FROM (
        SELECT w.id FROM (
          SELECT d.id, d.endpoint_id, d.next_attempt_at FROM deliveries d
          WHERE d.status = 0 AND d.next_attempt_at <= @now
          ORDER BY d.next_attempt_at LIMIT @window) w
        JOIN endpoints e ON e.id = w.endpoint_id
        WHERE e.disabled = 0 AND w.endpoint_id NOT IN (SELECT value FROM json_each(@skip))
        ORDER BY w.next_attempt_at LIMIT @limit)
      LIMIT @limit)
    RETURNING *`);
  // Back to pending as it was: same due time, attempt count and trigger (a manual resend stays manual).
  const release = ctx.prepare(`UPDATE deliveries SET status = 0, lease_until = NULL
    WHERE status = 1 AND id IN (SELECT value FROM json_each(?))`);
  // RETURNING cannot join in SQLite; both reads run in the claiming transaction.
  const messages = ctx.prepare('SELECT * FROM messages WHERE id IN (SELECT value FROM json_each(?))');
  const endpoints = ctx.prepare('SELECT * FROM endpoints WHERE id IN (SELECT value FROM json_each(?))');

  const claimTx = ctx.db.transaction((now: number, limit: number, leaseMs: number, skip: readonly string[]) => {
    const window = now - lastFullScan >= FULL_SCAN_EVERY_MS ? -1 : SCAN_WINDOW;
    if (window === -1) lastFullScan = now;
    const rows = claim().all({ now, lease_until: now + leaseMs, skip: toJson(skip), limit, window });
    if (rows.length === 0) return [];
    const msgIds = toJson([...new Set(rows.map((r) => String(r.msg_id)))]);
    const epIds = toJson([...new Set(rows.map((r) => String(r.endpoint_id)))]);
    const msgById = new Map<string, Message>(
      messages()
        .all(msgIds)
        .map((r) => [String(r.id), messageFromRow(r)]),
    );
    const epById = new Map<string, Endpoint>(
      endpoints()
        .all(epIds)
        .map((r) => {
          const ep = endpointFromRow(r, ctx.cipher);
          return [ep.id, { ...ep, secrets: liveSecrets(ep.secrets, now) }];
        }),
    );
    const claimed: ClaimedDelivery[] = [];
    for (const row of rows) {
      const message = msgById.get(String(row.msg_id));
      const endpoint = epById.get(String(row.endpoint_id));
      // Foreign keys make both exist; the guard only satisfies the types.
      if (!message || !endpoint) continue;
      claimed.push({
        delivery: deliveryFromRow(row),
        message,
        endpoint,
        triggerType: num(row.trigger_type) as TriggerType,
        parentAttemptId: strOrNull(row.parent_attempt_id),
      });
    }
    // RETURNING order is unspecified; hand work out in due order.
    return claimed.sort(
      (a, b) => a.delivery.nextAttemptAt - b.delivery.nextAttemptAt || (a.delivery.id < b.delivery.id ? -1 : 1),
    );
  });

  return {
    async claimDeliveries(now, limit, leaseMs, skipEndpointIds) {
      if (limit <= 0) return [];
      return claimTx.immediate(now, limit, leaseMs, skipEndpointIds);
    },

    async releaseDeliveries(ids) {
      if (ids.length > 0) release().run(toJson(ids));
    },
  };
}
