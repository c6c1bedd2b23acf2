import type { Attempt, Page, PageRequest } from '../../core/types.js';
import type { AttemptedDestination, AttemptFilter } from '../port.js';
import { attemptFromRow, destinationFromRow, pageLimit, toPage } from '../rows.js';
import { attemptCode } from '../status-codes.js';
import { type Ctx, keyset, lookupKey, Params, pageOrder, where } from './sql.js';

/**
 * Attempt lists are read three ways (by message, by endpoint, by app), each
 * with its own index. Only the filters given become conditions, so the
 * planner sees `msg_id = ...` and picks attempts_msg rather than scanning the
 * whole app's log.
 */
export async function listAttempts(
  ctx: Ctx,
  appId: string | null,
  filter: AttemptFilter,
  page: PageRequest,
): Promise<Page<Attempt>> {
  const order = pageOrder(page);
  const limit = pageLimit(page);
  const p = new Params();
  const conditions = [
    appId !== null && `app_id = ${p.add(lookupKey(appId))}`,
    filter.msgId !== undefined && `msg_id = ${p.add(lookupKey(filter.msgId))}`,
    filter.endpointId !== undefined && `endpoint_id = ${p.add(lookupKey(filter.endpointId))}`,
    filter.status !== undefined && `status = ${p.add(attemptCode(filter.status))}`,
    filter.eventTypes && filter.eventTypes.length > 0 && `event_type = ANY(${p.add(filter.eventTypes.map(lookupKey))})`,
    filter.before !== undefined && `created_at < ${p.add(filter.before)}::float8`,
    filter.after !== undefined && `created_at > ${p.add(filter.after)}::float8`,
    filter.channel !== undefined &&
      `EXISTS (SELECT 1 FROM messages m WHERE m.id = attempts.msg_id AND m.channels::jsonb ? ${p.add(lookupKey(filter.channel))})`,
    filter.tag !== undefined &&
      `EXISTS (SELECT 1 FROM messages m WHERE m.id = attempts.msg_id AND m.tags::jsonb ? ${p.add(lookupKey(filter.tag))})`,
    filter.statusCodeClass !== undefined &&
      `response_status_code BETWEEN ${p.add(filter.statusCodeClass)} AND ${p.add(filter.statusCodeClass + 99)}`,
  ];
  const { past, tail } = keyset(page, order, 'id', limit, p);
  const { rows } = await ctx.db.query(`SELECT * FROM attempts ${where([...conditions, past])} ${tail}`, p.values);
  return toPage(rows, page, (r) => String(r.id), attemptFromRow);
}

export async function getAttempt(ctx: Ctx, appId: string, attemptId: string): Promise<Attempt | null> {
  const { rows } = await ctx.db.query('SELECT * FROM attempts WHERE app_id = $1 AND id = $2', [
    lookupKey(appId),
    lookupKey(attemptId),
  ]);
  return rows[0] ? attemptFromRow(rows[0]) : null;
}

/** The endpoints a message went to, with the state of its delivery to each; paged by endpoint id. */
export async function listAttemptedDestinations(
  ctx: Ctx,
  appId: string,
  msgId: string,
  page: PageRequest,
): Promise<Page<AttemptedDestination>> {
  const order = pageOrder(page);
  const limit = pageLimit(page);
  const p = new Params();
  const app = p.add(lookupKey(appId));
  const msg = p.add(lookupKey(msgId));
  const { past, tail } = keyset(page, order, 'endpoint_id', limit, p);
  // Endpoints a filter error kept from the message appear too, unless a delivery was made since (a resend).
  const { rows } = await ctx.db.query(
    `SELECT * FROM (
       SELECT e.id AS endpoint_id, e.url, e.disabled, e.description, e.uid, e.channels, e.created_at, e.updated_at,
         d.status, d.attempts, d.next_attempt_at, d.trigger_type, NULL AS filter_error
       FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id
       WHERE d.app_id = ${app} AND d.msg_id = ${msg}
       UNION ALL
       SELECT e.id, e.url, e.disabled, e.description, e.uid, e.channels, e.created_at, e.updated_at,
         NULL, 0, NULL, NULL, f.error
       FROM filter_errors f JOIN endpoints e ON e.id = f.endpoint_id
       WHERE f.app_id = ${app} AND f.msg_id = ${msg}
         AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.msg_id = f.msg_id AND d.endpoint_id = f.endpoint_id)
     ) AS destinations ${where([past])} ${tail}`,
    p.values,
  );
  return toPage(rows, page, (r) => String(r.endpoint_id), destinationFromRow);
}
