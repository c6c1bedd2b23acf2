import type { NewMessage } from '../port.js';
import type { Ctx } from './db.js';

/**
 * Records, in the caller's transaction, the endpoints whose filter failed on a
 * message. An endpoint deleted since fan-out is skipped rather than failing
 * the batch on its foreign key.
 */
export function filterErrorInserter(ctx: Ctx): (batch: readonly NewMessage[], now: number) => void {
  const insert = ctx.prepare(`INSERT INTO filter_errors (msg_id, endpoint_id, app_id, error, created_at)
    SELECT ?, id, ?, ?, ? FROM endpoints WHERE id = ?`);
  return (batch, now) => {
    for (const { message, filterErrors } of batch) {
      for (const e of filterErrors ?? []) insert().run(message.id, message.appId, e.error, now, e.endpointId);
    }
  };
}
