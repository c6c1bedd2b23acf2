import { newId } from '../../core/ids.js';
import type { OpsStore } from '../ops-port.js';
import { idFloor } from '../ops-rows.js';
import { num, strOrNull } from '../rows.js';
import type { Ctx } from './db.js';
import { fifoSequencer } from './fifo.js';

type ReplayOps = Pick<OpsStore, 'countFailedDeliveries' | 'requeueFailedDeliveries' | 'addMissingDeliveries'>;

/**
 * Recover and replay-missing, in batches a task drives. A requeued delivery
 * is a manual attempt whose parent is the delivery's last attempt, exactly
 * what a single resend does, so replays show up linked in the attempt log.
 */
export function replayOps(ctx: Ctx): ReplayOps {
  const count = ctx.prepare(`SELECT COUNT(*) AS n FROM deliveries
    WHERE endpoint_id = @endpoint_id AND id >= @lo AND created_at >= @since AND created_at < @until AND status = 3`);
  const pick = ctx.prepare(`SELECT id FROM deliveries
    WHERE endpoint_id = @endpoint_id AND id >= @lo AND id > @after AND created_at >= @since AND created_at < @until
      AND status = 3
    ORDER BY id LIMIT @limit`);
  // A FIFO endpoint's requeued deliveries join the back of its queue, in the order given (`seq`
  // is null for other endpoints).
  const requeue = ctx.prepare(`UPDATE deliveries SET status = 0, next_attempt_at = @now, lease_until = NULL,
      trigger_type = 1, updated_at = @now, seq = @seq,
      parent_attempt_id = (SELECT a.id FROM attempts a WHERE a.delivery_id = deliveries.id ORDER BY a.id DESC LIMIT 1)
    WHERE id = @id AND status = 3`);
  const insertMissing = ctx.prepare(`INSERT INTO deliveries (id, msg_id, endpoint_id, app_id, status, attempts,
      next_attempt_at, lease_until, trigger_type, parent_attempt_id, seq, created_at, updated_at)
    SELECT @id, m.id, e.id, m.app_id, 0, 0, @now, NULL, 1, NULL, @seq, @now, @now
    FROM messages m JOIN endpoints e ON e.id = @endpoint_id AND e.app_id = m.app_id
    WHERE m.app_id = @app_id AND m.id = @msg_id
    ON CONFLICT (msg_id, endpoint_id) DO NOTHING`);
  const takeSeqs = fifoSequencer(ctx);
  /** The seq of each of `n` deliveries of `endpointId` in turn: numbers when it is FIFO, else null. */
  function seqsFor(endpointId: string, n: number): () => number | null {
    let next = takeSeqs(new Map([[endpointId, n]])).get(endpointId);
    return () => (next === undefined ? null : next++);
  }

  const requeueTx = ctx.db.transaction(
    (endpointId: string, since: number, until: number, after: string, limit: number, now: number) => {
      const ids = pick()
        .all({ endpoint_id: endpointId, lo: idFloor('dlv', since), since, until, after, limit })
        .map((r) => String(r.id));
      if (ids.length === 0) return { count: 0, lastId: null };
      const seq = seqsFor(endpointId, ids.length);
      let changed = 0;
      for (const id of ids) changed += requeue().run({ id, now, seq: seq() }).changes;
      return { count: changed, lastId: strOrNull(ids[ids.length - 1]) };
    },
  );
  const missingTx = ctx.db.transaction((appId: string, endpointId: string, msgIds: readonly string[], now: number) => {
    let added = 0;
    const seq = seqsFor(endpointId, msgIds.length);
    for (const msgId of msgIds) {
      added += insertMissing().run({
        id: newId('dlv', now),
        app_id: appId,
        endpoint_id: endpointId,
        msg_id: msgId,
        seq: seq(),
        now,
      }).changes;
    }
    return added;
  });

  return {
    async countFailedDeliveries(endpointId, since, until) {
      return num(count().get({ endpoint_id: endpointId, lo: idFloor('dlv', since), since, until })?.n ?? 0);
    },
    async requeueFailedDeliveries(endpointId, since, until, afterId, limit, now) {
      return requeueTx.immediate(endpointId, since, until, afterId ?? '', limit, now);
    },
    async addMissingDeliveries(appId, endpointId, msgIds, now) {
      if (msgIds.length === 0) return 0;
      return missingTx.immediate(appId, endpointId, msgIds, now);
    },
  };
}
