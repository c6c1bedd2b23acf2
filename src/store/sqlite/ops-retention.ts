import { idFloorAt } from '../../core/ids.js';
import type { OpsStore } from '../ops-port.js';
import { inboundFromRow } from '../ops-rows.js';
import type { Row } from '../rows.js';
import type { Ctx } from './db.js';

type RetentionOps = Pick<
  OpsStore,
  'setMessageExpiry' | 'expungeMessageContent' | 'prunePayloads' | 'exportInboundEvents'
>;

/**
 * Payload retention and the export reads. Pruning drops payloads in batches
 * (the message, its deliveries and attempts stay): first those with their own
 * expiry, then those older than the default, found through the primary key
 * because message ids sort by creation time.
 */
export function retentionOps(ctx: Ctx): RetentionOps {
  const setExpiry = ctx.prepare('UPDATE messages SET expires_at = ? WHERE app_id = ? AND id = ?');
  const expunge = ctx.prepare('UPDATE messages SET payload = NULL WHERE app_id = ? AND id = ?');
  const pruneOwn = ctx.prepare(`UPDATE messages SET payload = NULL WHERE id IN (SELECT id FROM messages
    WHERE expires_at IS NOT NULL AND payload IS NOT NULL AND expires_at <= @now LIMIT @limit)`);
  const pruneDefault = ctx.prepare(`UPDATE messages SET payload = NULL WHERE id IN (SELECT id FROM messages
    WHERE id < @bound AND payload IS NOT NULL AND expires_at IS NULL LIMIT @limit)`);
  const hasInbound = ctx.prepare("SELECT 1 AS ok FROM sqlite_master WHERE type = 'table' AND name = 'inbound_events'");

  return {
    async setMessageExpiry(appId, msgId, expiresAt) {
      setExpiry().run(expiresAt, appId, msgId);
    },
    async expungeMessageContent(appId, msgId) {
      return expunge().run(appId, msgId).changes > 0;
    },
    async prunePayloads(now, defaultBefore, limit) {
      const own = pruneOwn().run({ now, limit }).changes;
      if (own >= limit) return own;
      return own + pruneDefault().run({ bound: idFloorAt('msg', defaultBefore), limit: limit - own }).changes;
    },
    async exportInboundEvents(since, until, afterId, limit) {
      if (!hasInbound().get()) return null;
      const rows = ctx.db
        .prepare(`SELECT id, source_id, event_type, event_id, status, error, attempts, received_at FROM inbound_events
          WHERE received_at >= ? AND received_at < ? AND id > ? ORDER BY id LIMIT ?`)
        .all(since, until, afterId ?? '', limit) as Row[];
      return rows.map(inboundFromRow);
    },
  };
}
