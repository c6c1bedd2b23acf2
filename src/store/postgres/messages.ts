import { newId } from '../../core/ids.js';
import type { Message, Page, PageRequest } from '../../core/types.js';
import type { MessageFilter, NewMessage } from '../port.js';
import { messageFromRow, messageToRow, pageLimit, toPage } from '../rows.js';
import { mapConstraint, type Queryable } from './db.js';
import { insertFilterErrors } from './filter-errors.js';
import { type Ctx, keyset, lookupKey, Params, pageOrder, where } from './sql.js';
import { notifyWake } from './wake.js';

/**
 * Group commit: every message of the batch and all its deliveries in one
 * transaction of three statements, whatever the batch size. Rows travel as
 * parallel arrays through unnest(), so the statements never change shape.
 * A delivery whose endpoint was deleted since fan-out is dropped by the join
 * rather than failing the whole batch. The NOTIFY is part of the same
 * transaction: other nodes hear of the work only once it is committed.
 */
export async function createMessages(ctx: Ctx, batch: NewMessage[], now: number): Promise<ReadonlySet<string>> {
  if (batch.length === 0) return new Set();
  return mapConstraint('A message with this id or eventId already exists.', () =>
    ctx.db.tx(async (c) => {
      const { queued, leased } = await insertMessages(c, batch, now);
      // Deliveries leased to this node need nobody else: other nodes hear only of pending ones.
      if (queued > 0) await notifyWake(c, ctx.channel, ctx.nodeTag);
      return leased;
    }),
  );
}

/**
 * Inserts messages and their deliveries on `c`; the caller owns the
 * transaction (and the NOTIFY). Shared by createMessages and the inbound
 * gateway (postgres/inbound.ts), whose forwarding messages commit with the
 * inbound events that caused them. Returns the number of deliveries queued
 * pending and the ids of those leased to this node (NewMessage.leased).
 */
export async function insertMessages(
  c: Queryable,
  batch: readonly NewMessage[],
  now: number,
): Promise<{ queued: number; leased: Set<string> }> {
  const leased = new Set<string>();
  if (batch.length === 0) return { queued: 0, leased };
  const m = {
    id: [] as unknown[],
    app_id: [] as unknown[],
    event_type: [] as unknown[],
    event_id: [] as unknown[],
    payload: [] as unknown[],
    channels: [] as unknown[],
    tags: [] as unknown[],
    created_at: [] as unknown[],
    trace_context: [] as unknown[],
  };
  const d = {
    id: [] as string[],
    msg_id: [] as string[],
    endpoint_id: [] as string[],
    app_id: [] as string[],
    lease_until: [] as Array<number | null>,
  };
  for (const { message, endpointIds, leased: lease } of batch) {
    const r = messageToRow(message);
    for (const k of Object.keys(m) as (keyof typeof m)[]) m[k].push(r[k]);
    for (const endpointId of endpointIds) {
      const leasedId = lease?.ids.get(endpointId);
      d.id.push(leasedId ?? newId('dlv', now));
      d.msg_id.push(message.id);
      d.endpoint_id.push(endpointId);
      d.app_id.push(message.appId);
      d.lease_until.push(leasedId !== undefined && lease ? lease.until : null);
    }
  }
  await c.query(
    `INSERT INTO messages (id, app_id, event_type, event_id, payload, channels, tags, created_at, trace_context)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
       $8::bigint[], $9::text[])`,
    [m.id, m.app_id, m.event_type, m.event_id, m.payload, m.channels, m.tags, m.created_at, m.trace_context],
  );
  await insertFilterErrors(c, batch, now);
  if (d.id.length === 0) return { queued: 0, leased };
  const { rows } = await c.query<{ id: string; status: number }>(INSERT_DELIVERIES, [
    d.id,
    d.msg_id,
    d.endpoint_id,
    d.app_id,
    d.lease_until,
    now,
  ]);
  let queued = 0;
  for (const row of rows) {
    if (Number(row.status) === 1) leased.add(row.id);
    else queued++;
  }
  return { queued, leased };
}

/**
 * A leased delivery is created as being sent (status 1) by this node until
 * its lease ends. A FIFO endpoint's deliveries are never leased: they get the
 * next numbers of the endpoint's sequence (`seq`, in batch order) and wait
 * for claims, which keep that order. The FIFO endpoints of the batch are
 * locked in id order (so two batches never wait on each other crosswise) and
 * their counters bumped; a concurrent batch waits on that lock until this
 * one commits, so sequence order is commit order on every node. Other
 * endpoints are only read: they pay one primary-key probe per batch.
 */
const INSERT_DELIVERIES = `
  WITH u AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[]) WITH ORDINALITY
      AS u(id, msg_id, endpoint_id, app_id, lease_until, ord)
  ), n AS (
    SELECT endpoint_id, count(*) AS n FROM u GROUP BY endpoint_id
  ), fifo AS (
    SELECT e.id FROM endpoints e WHERE e.id IN (SELECT endpoint_id FROM n) AND e.fifo
    ORDER BY e.id FOR NO KEY UPDATE
  ), seqs AS (
    UPDATE endpoints e SET fifo_seq = e.fifo_seq + n.n
    FROM n JOIN fifo f ON f.id = n.endpoint_id WHERE e.id = n.endpoint_id
    RETURNING e.id, e.fifo_seq - n.n AS base
  )
  INSERT INTO deliveries (id, msg_id, endpoint_id, app_id, status, attempts, next_attempt_at, lease_until, seq,
    created_at, updated_at)
  SELECT u.id, u.msg_id, u.endpoint_id, u.app_id,
    CASE WHEN u.lease_until IS NULL OR s.id IS NOT NULL THEN 0 ELSE 1 END, 0, $6,
    CASE WHEN s.id IS NULL THEN u.lease_until END,
    s.base + row_number() OVER (PARTITION BY u.endpoint_id ORDER BY u.ord),
    $6, $6
  FROM u JOIN endpoints e ON e.id = u.endpoint_id LEFT JOIN seqs s ON s.id = u.endpoint_id
  RETURNING id, status`;

/** By id first, then by eventId. */
export async function getMessage(ctx: Ctx, appId: string, idOrEventId: string): Promise<Message | null> {
  const { rows } = await ctx.db.query(
    'SELECT * FROM messages WHERE app_id = $1 AND (id = $2 OR event_id = $2) ORDER BY id = $2 DESC LIMIT 1',
    [lookupKey(appId), lookupKey(idOrEventId)],
  );
  return rows[0] ? messageFromRow(rows[0]) : null;
}

export async function findMessageByEventId(ctx: Ctx, appId: string, eventId: string): Promise<Message | null> {
  const { rows } = await ctx.db.query('SELECT * FROM messages WHERE app_id = $1 AND event_id = $2', [
    lookupKey(appId),
    lookupKey(eventId),
  ]);
  return rows[0] ? messageFromRow(rows[0]) : null;
}

/** Only the filters given become conditions; the (app_id, id) index drives the scan and the keyset seek. */
export async function listMessages(
  ctx: Ctx,
  appId: string,
  filter: MessageFilter,
  page: PageRequest,
): Promise<Page<Message>> {
  const order = pageOrder(page);
  const limit = pageLimit(page);
  const p = new Params();
  const conditions = [
    `app_id = ${p.add(lookupKey(appId))}`,
    filter.eventTypes && filter.eventTypes.length > 0 && `event_type = ANY(${p.add(filter.eventTypes.map(lookupKey))})`,
    filter.channel !== undefined && `channels::jsonb ? ${p.add(lookupKey(filter.channel))}`,
    filter.tag !== undefined && `tags::jsonb ? ${p.add(lookupKey(filter.tag))}`,
    filter.before !== undefined && `created_at < ${p.add(filter.before)}::float8`,
    filter.after !== undefined && `created_at > ${p.add(filter.after)}::float8`,
  ];
  const { past, tail } = keyset(page, order, 'id', limit, p);
  const { rows } = await ctx.db.query(`SELECT * FROM messages ${where([...conditions, past])} ${tail}`, p.values);
  return toPage(rows, page, (r) => String(r.id), messageFromRow);
}
