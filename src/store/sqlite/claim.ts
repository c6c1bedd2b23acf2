import type { Endpoint, Message, TriggerType } from '../../core/types.js';
import { fifoHead, fifoIdle } from '../fifo-sql.js';
import type { ClaimedDelivery, Store } from '../port.js';
import {
  deliveryFromRow,
  endpointFromRow,
  liveSecrets,
  messageFromRow,
  num,
  type Row,
  strOrNull,
  toJson,
} from '../rows.js';
import type { Ctx, Lazy } from './db.js';

/**
 * Claiming, in one IMMEDIATE transaction, so no two workers can take the same
 * delivery (SQLite serialises writers; there is no SKIP LOCKED to need).
 *
 * Expired leases first (sending, but its worker died): one UPDATE ... RETURNING
 * over deliveries_leased. Then pending due work, endpoint by endpoint: a loose
 * index scan over deliveries_pending_endpoint (endpoint_id, next_attempt_at)
 * finds the next endpoint with pending rows in one seek, and one UPDATE takes
 * up to `perEndpoint` of its due rows. Endpoints at their in-flight cap
 * (`skipEndpointIds`) and disabled ones are stepped over in one seek each,
 * whatever their backlog. The walk resumes where the last claim stopped, so
 * every endpoint gets its turn.
 *
 * Why not one scan in due order: a never-answering endpoint taking every
 * other message at 1,000 msg/s queues ~500 rows/s ahead of everyone else's;
 * the due-order scan (even windowed to its first 1,024 rows) had to walk them
 * all, or wait for a periodic full scan, to reach a healthy endpoint's row:
 * measured, that endpoint's create-to-delivered p50 went from ~1 ms to
 * 136-420 ms. The walk costs one seek per endpoint with pending rows.
 *
 * FIFO endpoints' deliveries (those with a `seq`) have a walk of their own,
 * over deliveries_fifo, before the others: each such endpoint gives at most
 * its head (lowest pending seq), and only when it is due and nothing of the
 * endpoint is being sent. The other walk never sees FIFO rows (its index
 * leaves them out), so a held FIFO queue costs the others nothing.
 */
export function claimOps(main: Ctx): Pick<Store, 'claimDeliveries' | 'releaseDeliveries'> {
  // Claims and releases are engine bookkeeping: they run on the NORMAL-sync connection.
  const ctx = main.engine;
  const claimExpired = ctx.prepare(`UPDATE deliveries SET lease_until = @lease_until, updated_at = @now
    WHERE id IN (
      SELECT d.id FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id
      WHERE d.status = 1 AND d.lease_until < @now AND e.disabled = 0
        AND d.endpoint_id NOT IN (SELECT value FROM json_each(@skip))
      ORDER BY d.lease_until LIMIT @limit)
    RETURNING *`);
  const nextEndpoint = ctx.prepare(`SELECT endpoint_id FROM deliveries
    WHERE status = 0 AND seq IS NULL AND endpoint_id > ? ORDER BY endpoint_id LIMIT 1`);
  const disabled = ctx.prepare('SELECT disabled FROM endpoints WHERE id = ?');
  const claimPending = ctx.prepare(`UPDATE deliveries SET status = 1, lease_until = @lease_until, updated_at = @now
    WHERE id IN (
      SELECT id FROM deliveries
      WHERE status = 0 AND seq IS NULL AND endpoint_id = @endpoint_id AND next_attempt_at <= @now
      ORDER BY next_attempt_at LIMIT @limit)
    RETURNING *`);
  // FIFO (`status <= 1` repeats deliveries_fifo's condition, so SQLite uses it).
  const nextFifoEndpoint = ctx.prepare(`SELECT endpoint_id FROM deliveries
    WHERE seq IS NOT NULL AND status <= 1 AND endpoint_id > ? ORDER BY endpoint_id LIMIT 1`);
  const claimHead = ctx.prepare(`UPDATE deliveries SET status = 1, lease_until = @lease_until, updated_at = @now
    WHERE id = ${fifoHead('@endpoint_id')} AND next_attempt_at <= @now AND ${fifoIdle('@endpoint_id')}
    RETURNING *`);
  // Back to pending as it was: same due time, attempt count and trigger (a manual resend stays manual).
  const release = ctx.prepare(`UPDATE deliveries SET status = 0, lease_until = NULL
    WHERE status = 1 AND id IN (SELECT value FROM json_each(?))`);
  // RETURNING cannot join in SQLite; both reads run in the claiming transaction.
  const messages = ctx.prepare('SELECT * FROM messages WHERE id IN (SELECT value FROM json_each(?))');
  const endpoints = ctx.prepare('SELECT * FROM endpoints WHERE id IN (SELECT value FROM json_each(?))');
  /** Where the endpoint walk stopped last time ('' = from the start). */
  let cursor = '';

  /**
   * Visits the endpoints `next` finds, in id order from `start`, wrapping
   * around once, until `full()`; endpoints at their cap (`skip`) and disabled
   * ones are stepped over. Answers the last endpoint visited.
   */
  function walk(next: Lazy, start: string, skip: ReadonlySet<string>, full: () => boolean, take: (id: string) => void) {
    let at = start;
    let wrapped = false;
    while (!full()) {
      const found = next().get(at)?.endpoint_id;
      if (found === undefined) {
        // End of the list: wrap to the start once, then stop where this walk began.
        if (wrapped || start === '') break;
        wrapped = true;
        at = '';
        continue;
      }
      const id = String(found);
      if (wrapped && id > start) break;
      at = id;
      if (!skip.has(id) && num(disabled().get(id)?.disabled ?? 1) === 0) take(id);
      if (wrapped && id === start) break;
    }
    return at;
  }

  function claimRows(now: number, limit: number, leaseUntil: number, skip: ReadonlySet<string>, per: number): Row[] {
    const rows = claimExpired().all({ now, lease_until: leaseUntil, skip: toJson([...skip]), limit });
    const full = () => rows.length >= limit;
    let at = walk(nextFifoEndpoint, cursor, skip, full, (id) => {
      const head = claimHead().get({ now, lease_until: leaseUntil, endpoint_id: id });
      if (head) rows.push(head);
    });
    if (!full()) {
      at = walk(nextEndpoint, cursor, skip, full, (id) => {
        const limitHere = Math.min(per, limit - rows.length);
        for (const r of claimPending().all({ now, lease_until: leaseUntil, endpoint_id: id, limit: limitHere })) {
          rows.push(r);
        }
      });
    }
    cursor = full() ? at : '';
    return rows;
  }

  const claimTx = ctx.db.transaction(
    (now: number, limit: number, leaseMs: number, skip: readonly string[], per: number) => {
      const rows = claimRows(now, limit, now + leaseMs, new Set(skip), per);
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
    },
  );

  return {
    async claimDeliveries(now, limit, leaseMs, skipEndpointIds, perEndpoint = limit) {
      if (limit <= 0) return [];
      return claimTx.immediate(now, limit, leaseMs, skipEndpointIds, Math.max(1, perEndpoint));
    },

    async releaseDeliveries(ids) {
      if (ids.length > 0) release().run(toJson(ids));
    },
  };
}
