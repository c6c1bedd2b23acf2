import { newId } from '../../core/ids.js';
import { idFloor } from '../ops-rows.js';
import { num } from '../rows.js';
import { takeSeqs } from './fifo.js';
import { type Ctx, lookupKey } from './sql.js';
import { notifyWake } from './wake.js';

/**
 * Recover and replay-missing, in batches a task drives. A requeued delivery
 * is a manual attempt whose parent is the delivery's last attempt, exactly
 * what a single resend does. Other nodes are woken in the same transaction.
 */
export async function countFailedDeliveries(ctx: Ctx, endpointId: string, since: number, until: number) {
  const { rows } = await ctx.db.query(
    `SELECT COUNT(*) AS n FROM deliveries
     WHERE endpoint_id = $1 AND id >= $2 AND created_at >= $3 AND created_at < $4 AND status = 3`,
    [lookupKey(endpointId), idFloor('dlv', since), since, until],
  );
  return num(rows[0]?.n ?? 0);
}

export async function requeueFailedDeliveries(
  ctx: Ctx,
  endpointId: string,
  since: number,
  until: number,
  afterId: string | null,
  limit: number,
  now: number,
): Promise<{ count: number; lastId: string | null }> {
  return ctx.db.tx(async (c) => {
    // A FIFO endpoint's requeued deliveries join the back of its queue, oldest first.
    const seq = await takeSeqs(c, endpointId, limit);
    const picked = await c.query(
      `SELECT id FROM deliveries
       WHERE endpoint_id = $1 AND id >= $2 AND id > $3 AND created_at >= $4 AND created_at < $5 AND status = 3
       ORDER BY id LIMIT $6 FOR UPDATE SKIP LOCKED`,
      [lookupKey(endpointId), idFloor('dlv', since), afterId ?? '', since, until, limit],
    );
    const ids = picked.rows.map((r) => String(r.id));
    if (ids.length === 0) return { count: 0, lastId: null };
    const { rowCount } = await c.query(
      `UPDATE deliveries d SET status = 0, next_attempt_at = $2, lease_until = NULL, trigger_type = 1, updated_at = $2,
         parent_attempt_id = (SELECT a.id FROM attempts a WHERE a.delivery_id = d.id ORDER BY a.id DESC LIMIT 1),
         seq = $3::bigint + u.ord - 1
       FROM unnest($1::text[]) WITH ORDINALITY AS u(id, ord)
       WHERE d.id = u.id AND d.status = 3`,
      [ids, now, seq],
    );
    await notifyWake(c, ctx.channel);
    return { count: rowCount ?? 0, lastId: ids[ids.length - 1] ?? null };
  });
}

export async function addMissingDeliveries(
  ctx: Ctx,
  appId: string,
  endpointId: string,
  msgIds: readonly string[],
  now: number,
): Promise<number> {
  if (msgIds.length === 0) return 0;
  const ids = msgIds.map(() => newId('dlv', now));
  return ctx.db.tx(async (c) => {
    const seq = await takeSeqs(c, endpointId, msgIds.length);
    const { rowCount } = await c.query(
      `INSERT INTO deliveries (id, msg_id, endpoint_id, app_id, status, attempts, next_attempt_at, lease_until,
         trigger_type, parent_attempt_id, seq, created_at, updated_at)
       SELECT u.id, m.id, e.id, m.app_id, 0, 0, $5, NULL, 1, NULL, $6::bigint + u.ord - 1, $5, $5
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS u(id, msg_id, ord)
       JOIN messages m ON m.id = u.msg_id AND m.app_id = $3
       JOIN endpoints e ON e.id = $4 AND e.app_id = m.app_id
       ON CONFLICT (msg_id, endpoint_id) DO NOTHING`,
      [ids, msgIds.map(lookupKey), lookupKey(appId), lookupKey(endpointId), now, seq],
    );
    if ((rowCount ?? 0) > 0) await notifyWake(c, ctx.channel);
    return rowCount ?? 0;
  });
}
