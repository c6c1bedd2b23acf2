import type { Store } from '../port.js';
import { deliveryFromRow, num } from '../rows.js';
import type { Ctx } from './db.js';

/**
 * FIFO endpoints' sequence numbers. A FIFO endpoint's deliveries carry `seq`,
 * taken from the endpoint's counter (`fifo_seq`) in the transaction that
 * creates or requeues them; SQLite runs one write transaction at a time, so
 * the numbers follow commit order. Claims (claim.ts) send a FIFO endpoint's
 * lowest pending seq only, and only while none of its deliveries is being sent.
 */

/**
 * Takes sequence numbers for the deliveries about to be written: `counts`
 * maps endpoint ids to how many. Answers, for each endpoint that is FIFO,
 * the first number taken (the rest follow it); other endpoints are left out.
 * One statement for the whole batch; the caller owns the transaction.
 */
export function fifoSequencer(ctx: Ctx): (counts: ReadonlyMap<string, number>) => Map<string, number> {
  // RETURNING cannot read the FROM side in SQLite: the first number is worked out from the count.
  const take = ctx.prepare(`UPDATE endpoints SET fifo_seq = fifo_seq + c.n
    FROM (SELECT json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') AS n FROM json_each(?)) AS c
    WHERE endpoints.id = c.id AND endpoints.fifo = 1
    RETURNING id, fifo_seq`);
  return (counts) => {
    const first = new Map<string, number>();
    if (counts.size === 0) return first;
    for (const row of take().all(JSON.stringify([...counts]))) {
      const id = String(row.id);
      first.set(id, num(row.fifo_seq) - (counts.get(id) ?? 0) + 1);
    }
    return first;
  };
}

/**
 * An endpoint turned FIFO queues what it already had, oldest first, behind
 * nothing (rows being sent hold the queue until they are done); turned back,
 * its queue is sent as any endpoint's. The caller owns the transaction.
 */
export function fifoSwitch(ctx: Ctx): (endpointId: string, on: boolean) => void {
  const counter = ctx.prepare('SELECT fifo_seq FROM endpoints WHERE id = ?');
  const number = ctx.prepare(`UPDATE deliveries SET seq = @base + q.n
    FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM deliveries
      WHERE endpoint_id = @endpoint_id AND status <= 1 AND seq IS NULL) AS q
    WHERE deliveries.id = q.id`);
  const advance = ctx.prepare('UPDATE endpoints SET fifo_seq = fifo_seq + ? WHERE id = ?');
  const unnumber = ctx.prepare(
    'UPDATE deliveries SET seq = NULL WHERE endpoint_id = ? AND seq IS NOT NULL AND status <= 1',
  );
  return (endpointId, on) => {
    if (!on) {
      unnumber().run(endpointId);
      return;
    }
    const base = num(counter().get(endpointId)?.fifo_seq ?? 0);
    const { changes } = number().run({ base, endpoint_id: endpointId });
    if (changes > 0) advance().run(changes, endpointId);
  };
}

export function fifoOps(ctx: Ctx): Pick<Store, 'fifoQueue'> {
  // `status <= 1` repeats the index's condition so SQLite picks deliveries_fifo.
  const sending = ctx.prepare(`SELECT * FROM deliveries
    WHERE endpoint_id = ? AND seq IS NOT NULL AND status <= 1 AND status = 1 ORDER BY seq LIMIT 1`);
  const next = ctx.prepare(`SELECT * FROM deliveries
    WHERE endpoint_id = ? AND seq IS NOT NULL AND status <= 1 AND status = 0 ORDER BY seq LIMIT 1`);
  const queued = ctx.prepare(
    'SELECT COUNT(*) AS n FROM deliveries WHERE endpoint_id = ? AND seq IS NOT NULL AND status <= 1',
  );
  return {
    async fifoQueue(endpointId) {
      const head = sending().get(endpointId) ?? next().get(endpointId);
      if (!head) return { head: null, waiting: 0 };
      return { head: deliveryFromRow(head), waiting: num(queued().get(endpointId)?.n ?? 1) - 1 };
    },
  };
}
