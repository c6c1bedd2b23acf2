import type { NewMessage } from '../port.js';
import type { Queryable } from './db.js';

/**
 * Records, in the messages' transaction, the endpoints whose filter failed on
 * a message. Joined with endpoints, like deliveries, so an endpoint deleted
 * since fan-out is dropped rather than failing the batch.
 */
export async function insertFilterErrors(c: Queryable, batch: readonly NewMessage[], now: number): Promise<void> {
  const f = { msg_id: [] as string[], endpoint_id: [] as string[], app_id: [] as string[], error: [] as string[] };
  for (const { message, filterErrors } of batch) {
    for (const e of filterErrors ?? []) {
      f.msg_id.push(message.id);
      f.endpoint_id.push(e.endpointId);
      f.app_id.push(message.appId);
      f.error.push(e.error);
    }
  }
  if (f.msg_id.length === 0) return;
  await c.query(
    `INSERT INTO filter_errors (msg_id, endpoint_id, app_id, error, created_at)
     SELECT u.msg_id, u.endpoint_id, u.app_id, u.error, $5
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(msg_id, endpoint_id, app_id, error)
     JOIN endpoints e ON e.id = u.endpoint_id`,
    [f.msg_id, f.endpoint_id, f.app_id, f.error, now],
  );
}
