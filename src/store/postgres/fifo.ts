import { fifoHead } from '../fifo-sql.js';
import type { FifoQueue } from '../port.js';
import { deliveryFromRow, num } from '../rows.js';
import type { Queryable } from './db.js';
import { type Ctx, lookupKey } from './sql.js';

/**
 * FIFO endpoints' sequence numbers outside the message insert (messages.ts
 * numbers new deliveries in its own statement). Each writer takes the
 * endpoint's row lock first, by bumping its counter, and holds it to commit:
 * sequence order is commit order, and a transaction that locks an endpoint
 * always does so before touching its deliveries, so these paths never wait on
 * each other crosswise.
 */

/**
 * Takes `n` numbers of `endpointId`'s sequence and answers the first, or null
 * when the endpoint is not FIFO (nothing is locked then). A caller that uses
 * fewer leaves a gap, which only order, not density, matters for.
 */
export async function takeSeqs(c: Queryable, endpointId: string, n: number): Promise<number | null> {
  const { rows } = await c.query(
    'UPDATE endpoints SET fifo_seq = fifo_seq + $2 WHERE id = $1 AND fifo RETURNING fifo_seq',
    [lookupKey(endpointId), n],
  );
  return rows[0] ? num(rows[0].fifo_seq) - n + 1 : null;
}

/**
 * An endpoint turned FIFO queues what it already had, oldest first (rows
 * being sent hold the queue until they are done); turned back, its queue is
 * sent as any endpoint's. Runs in the transaction that changed the flag,
 * which holds the endpoint's row lock.
 */
export async function switchFifo(c: Queryable, endpointId: string, on: boolean): Promise<void> {
  const id = lookupKey(endpointId);
  if (!on) {
    await c.query('UPDATE deliveries SET seq = NULL WHERE endpoint_id = $1 AND seq IS NOT NULL AND status <= 1', [id]);
    return;
  }
  await c.query(
    `WITH q AS (
       SELECT d.id, row_number() OVER (ORDER BY d.id) AS n FROM deliveries d
       WHERE d.endpoint_id = $1 AND d.status <= 1 AND d.seq IS NULL
     ), numbered AS (
       UPDATE deliveries d SET seq = e.fifo_seq + q.n FROM q, endpoints e
       WHERE d.id = q.id AND e.id = $1
       RETURNING 1
     )
     UPDATE endpoints SET fifo_seq = fifo_seq + (SELECT count(*) FROM numbered) WHERE id = $1`,
    [id],
  );
}

export async function fifoQueue(ctx: Ctx, endpointId: string): Promise<FifoQueue> {
  const { rows } = await ctx.db.query(
    `SELECT to_jsonb(d) AS d,
       (SELECT count(*) FROM deliveries c WHERE c.endpoint_id = $1 AND c.seq IS NOT NULL AND c.status <= 1) AS n
     FROM deliveries d
     WHERE d.id = COALESCE(
       (SELECT s.id FROM deliveries s
        WHERE s.endpoint_id = $1 AND s.seq IS NOT NULL AND s.status <= 1 AND s.status = 1 ORDER BY s.seq LIMIT 1),
       ${fifoHead('$1')})`,
    [lookupKey(endpointId)],
  );
  const row = rows[0];
  if (!row) return { head: null, waiting: 0 };
  return { head: deliveryFromRow(row.d), waiting: num(row.n) - 1 };
}
