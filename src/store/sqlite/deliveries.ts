import { notFound } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { NEXT_FIFO_DUE } from '../fifo-sql.js';
import type { AttemptResult, Store } from '../port.js';
import { attemptToRow, deliveryFromRow, num } from '../rows.js';
import { deliveryCode, NEXT_DELIVERY_CODE } from '../status-codes.js';
import type { Ctx } from './db.js';
import { fifoSequencer } from './fifo.js';

type DeliveryOps = Pick<Store, 'recordAttempts' | 'requeueDelivery' | 'nextDueAt' | 'countDeliveries'>;

export function deliveryOps(ctx: Ctx): DeliveryOps {
  // event_type is copied from the message so attempt lists filter without a join.
  // Attempt records are engine bookkeeping: the NORMAL-sync connection.
  const insertAttempt =
    ctx.engine.prepare(`INSERT INTO attempts (id, delivery_id, msg_id, endpoint_id, app_id, event_type,
      url, status, trigger_type, parent_id, response_status_code, response_headers, response, response_duration_ms,
      request_headers, request_body, error_kind, error_detail, created_at)
    VALUES (@id, @delivery_id, @msg_id, @endpoint_id, @app_id,
      COALESCE((SELECT event_type FROM messages WHERE id = @msg_id), ''),
      @url, @status, @trigger_type, @parent_id, @response_status_code, @response_headers, @response,
      @response_duration_ms, @request_headers, @request_body, @error_kind, @error_detail, @created_at)`);
  // The next attempt is scheduled unless a resend says otherwise, so the trigger resets every time.
  const moveOn = ctx.engine.prepare(`UPDATE deliveries
    SET attempts = attempts + 1, status = @status,
      next_attempt_at = COALESCE(@next_attempt_at, next_attempt_at), lease_until = NULL,
      trigger_type = 0, parent_attempt_id = NULL, updated_at = @now
    WHERE id = @id`);
  const disableEndpoint = ctx.engine.prepare(`UPDATE endpoints SET disabled = 1, updated_at = @now
    WHERE id = (SELECT endpoint_id FROM deliveries WHERE id = @id)`);
  // Only a message and endpoint of `appId` can be requeued: the SELECT yields no row otherwise.
  // A FIFO endpoint's delivery joins the back of its queue (a new seq), unless it is being
  // sent right now: then it is left alone (a second copy in flight would break the order).
  const requeue = ctx.prepare(`INSERT INTO deliveries (id, msg_id, endpoint_id, app_id, status, attempts,
      next_attempt_at, lease_until, trigger_type, parent_attempt_id, seq, created_at, updated_at)
    SELECT @id, m.id, e.id, m.app_id, 0, 0, @now, NULL, 1, @parent, @seq, @now, @now
    FROM messages m JOIN endpoints e ON e.id = @endpoint_id AND e.app_id = m.app_id
    WHERE m.app_id = @app_id AND m.id = @msg_id
    ON CONFLICT (msg_id, endpoint_id) DO UPDATE SET status = 0, next_attempt_at = excluded.next_attempt_at,
      lease_until = NULL, trigger_type = 1, parent_attempt_id = excluded.parent_attempt_id, seq = excluded.seq,
      updated_at = excluded.updated_at
    WHERE NOT (deliveries.status = 1 AND deliveries.seq IS NOT NULL)
    RETURNING *`);
  const existing = ctx.prepare('SELECT * FROM deliveries WHERE app_id = ? AND msg_id = ? AND endpoint_id = ?');
  const takeSeqs = fifoSequencer(ctx);
  const requeueTx = ctx.db.transaction((params: Record<string, string | number | null>) => {
    const seq = takeSeqs(new Map([[String(params.endpoint_id), 1]])).get(String(params.endpoint_id)) ?? null;
    return requeue().get({ ...params, seq }) ?? existing().get(params.app_id, params.msg_id, params.endpoint_id);
  });
  // Disabled endpoints' deliveries stay pending but are never claimed, so they must not
  // count as due either, or the dispatcher would wake for them forever. ORDER BY + LIMIT
  // (not MIN) make SQLite walk deliveries_due in order. FIFO queues count by their heads only.
  const nextDue = ctx.prepare(`SELECT d.next_attempt_at AS due FROM deliveries d
    JOIN endpoints e ON e.id = d.endpoint_id
    WHERE d.status = 0 AND d.seq IS NULL AND e.disabled = 0
    ORDER BY d.next_attempt_at LIMIT 1`);
  const nextFifoDue = ctx.prepare(NEXT_FIFO_DUE);
  const count = ctx.prepare('SELECT COUNT(*) AS n FROM deliveries WHERE @status IS NULL OR status = @status');

  const recordTx = ctx.engine.db.transaction((results: AttemptResult[], now: number) => {
    for (const { attempt, deliveryId, update } of results) {
      insertAttempt().run(attemptToRow(attempt));
      moveOn().run({
        id: deliveryId,
        status: NEXT_DELIVERY_CODE[update.kind],
        next_attempt_at: update.kind === 'retry' ? update.nextAttemptAt : null,
        now,
      });
      if (update.kind === 'gone') disableEndpoint().run({ id: deliveryId, now });
    }
  });

  return {
    async recordAttempts(results, now) {
      if (results.length === 0) return;
      recordTx.immediate(results, now);
    },

    async requeueDelivery(appId, msgId, endpointId, now, parentAttemptId) {
      const row = requeueTx.immediate({
        id: newId('dlv', now),
        app_id: appId,
        msg_id: msgId,
        endpoint_id: endpointId,
        parent: parentAttemptId,
        now,
      });
      if (!row) throw notFound('Message or endpoint');
      return deliveryFromRow(row);
    },

    async nextDueAt() {
      const times = [nextDue().get()?.due, nextFifoDue().get()?.due].filter((t) => t !== null && t !== undefined);
      return times.length === 0 ? null : Math.min(...times.map(num));
    },

    async countDeliveries(filter) {
      return num(count().get({ status: filter.status === undefined ? null : deliveryCode(filter.status) })?.n ?? 0);
    },
  };
}
