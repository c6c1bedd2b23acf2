import { idFloorAt } from '../../core/ids.js';
import type { InboundEventRow } from '../ops-port.js';
import { inboundFromRow } from '../ops-rows.js';
import { type Ctx, lookupKey } from './sql.js';

/**
 * Payload retention and the export reads. Pruning drops payloads in batches
 * (the message, its deliveries and attempts stay): first those with their own
 * expiry, then those older than the default, found through the primary key
 * because message ids sort by creation time.
 */
export async function setMessageExpiry(ctx: Ctx, appId: string, msgId: string, expiresAt: number): Promise<void> {
  await ctx.db.query('UPDATE messages SET expires_at = $3 WHERE app_id = $1 AND id = $2', [
    lookupKey(appId),
    lookupKey(msgId),
    expiresAt,
  ]);
}

export async function expungeMessageContent(ctx: Ctx, appId: string, msgId: string): Promise<boolean> {
  const { rowCount } = await ctx.db.query('UPDATE messages SET payload = NULL WHERE app_id = $1 AND id = $2', [
    lookupKey(appId),
    lookupKey(msgId),
  ]);
  return (rowCount ?? 0) > 0;
}

export async function prunePayloads(ctx: Ctx, now: number, defaultBefore: number, limit: number): Promise<number> {
  const own = await ctx.db.query(
    `UPDATE messages SET payload = NULL WHERE id IN (SELECT id FROM messages
       WHERE expires_at IS NOT NULL AND payload IS NOT NULL AND expires_at <= $1 LIMIT $2)`,
    [now, limit],
  );
  const n = own.rowCount ?? 0;
  if (n >= limit) return n;
  const old = await ctx.db.query(
    `UPDATE messages SET payload = NULL WHERE id IN (SELECT id FROM messages
       WHERE id < $1 AND payload IS NOT NULL AND expires_at IS NULL LIMIT $2)`,
    [idFloorAt('msg', defaultBefore), limit - n],
  );
  return n + (old.rowCount ?? 0);
}

export async function exportInboundEvents(
  ctx: Ctx,
  since: number,
  until: number,
  afterId: string | null,
  limit: number,
): Promise<InboundEventRow[] | null> {
  const { rows: exists } = await ctx.db.query("SELECT to_regclass('inbound_events') IS NOT NULL AS ok");
  if (!exists[0]?.ok) return null;
  const { rows } = await ctx.db.query(
    `SELECT id, source_id, event_type, event_id, status, error, attempts, received_at FROM inbound_events
     WHERE received_at >= $1 AND received_at < $2 AND id > $3 ORDER BY id LIMIT $4`,
    [since, until, afterId ?? '', limit],
  );
  return rows.map(inboundFromRow);
}
