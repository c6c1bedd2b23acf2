import { notFound } from '../../core/errors.js';
import type { Page, PageRequest } from '../../core/types.js';
import type {
  InboundEvent,
  InboundEventFilter,
  InboundEventPatch,
  InboundPageRequest,
  InboundReceipt,
  InboundStats,
  NewInboundEvent,
  Rejection,
  Source,
  SourceInput,
} from '../inbound-port.js';
import {
  countsOf,
  EVENT_COLUMNS,
  inboundFromRow,
  inboundToRow,
  rejectionFromRow,
  rejectionToRow,
  settleSql,
  sourceFromRow,
  sourceToRow,
} from '../inbound-rows.js';
import { num, pageLimit, toPage } from '../rows.js';
import { mapConstraint } from './db.js';
import { insertMessages } from './messages.js';
import { type Ctx, keyset, lookupKey, Params, pageOrder, where } from './sql.js';
import { notifyWake } from './wake.js';

/**
 * The inbound tables on PostgreSQL, one function per operation. The hot path,
 * `receiveInbound`, is one transaction per group-committed batch: one
 * `INSERT ... SELECT FROM unnest ... ON CONFLICT DO NOTHING RETURNING id` for
 * every event of the batch (a row that conflicts, with a committed event or
 * an earlier row of the same batch, is simply not returned), then the
 * forwarding messages of the inserted events through messages.ts's own
 * inserter, then the NOTIFY. A concurrent node inserting the same dedupe key
 * waits on the unique index until this transaction ends, then skips it.
 */

export async function createSource(ctx: Ctx, s: SourceInput, now: number): Promise<Source> {
  const r = sourceToRow(s, ctx.cipher, now);
  const { rows } = await mapConstraint('A source with this id or uid already exists.', () =>
    ctx.db.query(
      `INSERT INTO sources (id, uid, name, type, config, app_id, forward_app_id, body_limit, metadata, created_at,
         updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *`,
      [
        r.id,
        r.uid,
        r.name,
        r.type,
        r.config,
        r.app_id,
        r.forward_app_id,
        r.body_limit,
        r.metadata,
        r.created_at,
        r.updated_at,
      ],
    ),
  );
  return sourceFromRow(rows[0], ctx.cipher);
}

/** By id first: a uid that happens to look like another source's id must not shadow it. */
export async function getSource(ctx: Ctx, idOrUid: string): Promise<Source | null> {
  const { rows } = await ctx.db.query('SELECT * FROM sources WHERE id = $1 OR uid = $1 ORDER BY id = $1 DESC LIMIT 1', [
    lookupKey(idOrUid),
  ]);
  return rows[0] ? sourceFromRow(rows[0], ctx.cipher) : null;
}

export async function listSources(ctx: Ctx, page: PageRequest): Promise<Page<Source>> {
  const order = pageOrder(page);
  const limit = pageLimit(page);
  const p = new Params();
  const { past, tail } = keyset(page, order, 'id', limit, p);
  const { rows } = await ctx.db.query(`SELECT * FROM sources ${where([past])} ${tail}`, p.values);
  return toPage(
    rows,
    page,
    (r) => String(r.id),
    (r) => sourceFromRow(r, ctx.cipher),
  );
}

export async function updateSource(ctx: Ctx, s: SourceInput, now: number): Promise<Source> {
  const r = sourceToRow(s, ctx.cipher, now);
  const { rows } = await mapConstraint('A source with this uid already exists.', () =>
    ctx.db.query(
      `UPDATE sources SET uid = $2, name = $3, type = $4, config = $5, forward_app_id = $6, body_limit = $7,
         metadata = $8, updated_at = $9
       WHERE id = $1 RETURNING *`,
      [r.id, r.uid, r.name, r.type, r.config, r.forward_app_id, r.body_limit, r.metadata, r.updated_at],
    ),
  );
  if (!rows[0]) throw notFound('Source');
  return sourceFromRow(rows[0], ctx.cipher);
}

export async function deleteSource(ctx: Ctx, id: string): Promise<void> {
  await ctx.db.query('DELETE FROM sources WHERE id = $1', [lookupKey(id)]);
}

const INSERT_EVENTS = `
  INSERT INTO inbound_events (id, source_id, dedupe_key, event_id, event_type, body, content_type, headers, status,
    error, attempts, msg_id, forward_msg_id, received_at, updated_at)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bytea[], $7::text[],
    $8::text[], $9::text[], $10::text[], $11::int[], $12::text[], $13::text[], $14::bigint[], $15::bigint[])
  ON CONFLICT (source_id, dedupe_key) DO NOTHING
  RETURNING id`;

const EVENT_FIELDS = [
  'id',
  'source_id',
  'dedupe_key',
  'event_id',
  'event_type',
  'body',
  'content_type',
  'headers',
  'status',
  'error',
  'attempts',
  'msg_id',
  'forward_msg_id',
  'received_at',
  'updated_at',
] as const;

export async function receiveInbound(ctx: Ctx, batch: NewInboundEvent[], now: number): Promise<InboundReceipt[]> {
  if (batch.length === 0) return [];
  const columns = EVENT_FIELDS.map(() => [] as unknown[]);
  for (const { event } of batch) {
    const row = inboundToRow(event);
    EVENT_FIELDS.forEach((f, i) => {
      columns[i]?.push(row[f]);
    });
  }
  return ctx.db.tx(async (c) => {
    const { rows } = await c.query<{ id: string }>(INSERT_EVENTS, columns);
    const inserted = new Set(rows.map((r) => r.id));
    const { queued, leased } = await insertMessages(
      c,
      batch.filter((b) => inserted.has(b.event.id)).flatMap((b) => b.messages),
      now,
    );
    if (queued > 0) await notifyWake(c, ctx.channel, ctx.nodeTag);
    const dupes = batch.filter((b) => !inserted.has(b.event.id));
    const first = new Map<string, { id: string; eventType: string }>();
    if (dupes.length > 0) {
      const found = await c.query<{ source_id: string; dedupe_key: string; id: string; event_type: string }>(
        `SELECT e.source_id, e.dedupe_key, e.id, e.event_type FROM inbound_events e
         JOIN unnest($1::text[], $2::text[]) AS u(source_id, dedupe_key)
           ON e.source_id = u.source_id AND e.dedupe_key = u.dedupe_key`,
        [dupes.map((d) => d.event.sourceId), dupes.map((d) => d.event.dedupeKey)],
      );
      for (const r of found.rows) first.set(`${r.source_id}\n${r.dedupe_key}`, { id: r.id, eventType: r.event_type });
    }
    return batch.map(({ event, messages }): InboundReceipt => {
      if (inserted.has(event.id)) {
        const own = messages.flatMap((m) => [...(m.leased?.ids.values() ?? [])]).filter((id) => leased.has(id));
        return { duplicate: false, id: event.id, leased: new Set(own) };
      }
      const f = first.get(`${event.sourceId}\n${event.dedupeKey}`);
      return { duplicate: true, id: f?.id ?? event.id, eventType: f?.eventType ?? event.eventType };
    });
  });
}

export async function getInboundEvent(ctx: Ctx, sourceId: string, id: string): Promise<InboundEvent | null> {
  const { rows } = await ctx.db.query('SELECT * FROM inbound_events WHERE source_id = $1 AND id = $2', [
    lookupKey(sourceId),
    lookupKey(id),
  ]);
  return rows[0] ? inboundFromRow(rows[0]) : null;
}

export async function listInboundEvents(
  ctx: Ctx,
  sourceId: string,
  filter: InboundEventFilter,
  page: InboundPageRequest,
): Promise<Page<InboundEvent>> {
  const order = pageOrder(page);
  const limit = pageLimit(page);
  const p = new Params();
  const conditions = [
    `source_id = ${p.add(lookupKey(sourceId))}`,
    filter.status !== undefined && `status = ${p.add(filter.status)}`,
    filter.eventType !== undefined && `event_type = ${p.add(lookupKey(filter.eventType))}`,
    filter.since !== undefined && `received_at >= ${p.add(filter.since)}::float8`,
  ];
  const { past, tail } = keyset(page, order, 'id', limit, p);
  const offset = page.offset ? ` OFFSET ${p.add(page.offset)}` : '';
  const { rows } = await ctx.db.query(
    `SELECT ${EVENT_COLUMNS} FROM inbound_events ${where([...conditions, past])} ${tail}${offset}`,
    p.values,
  );
  return toPage(rows, page, (r) => String(r.id), inboundFromRow);
}

export async function updateInboundEvent(ctx: Ctx, id: string, patch: InboundEventPatch, now: number): Promise<void> {
  await ctx.db.query(
    `UPDATE inbound_events SET status = $2, error = $3, msg_id = COALESCE($4, msg_id),
       forward_msg_id = COALESCE($5, forward_msg_id), updated_at = $6
     WHERE id = $1`,
    [lookupKey(id), patch.status, patch.error, patch.msgId ?? null, patch.forwardMsgId ?? null, now],
  );
}

const SETTLE = settleSql((name) => ({ id: '$1', error: '$2::text', now: '$3::bigint' })[name]);

export async function settleInbound(
  ctx: Ctx,
  msgIds: readonly string[],
  errors: Readonly<Record<string, string>>,
  now: number,
): Promise<void> {
  const ids = [...new Set(msgIds)];
  if (ids.length === 0) return;
  await ctx.db.tx(async (c) => {
    for (const id of ids) await c.query(SETTLE, [lookupKey(id), errors[id] ?? null, now]);
  });
}

export async function inboundStats(ctx: Ctx, sourceId: string, now: number): Promise<InboundStats> {
  const id = lookupKey(sourceId);
  const [types, statuses, recent] = await Promise.all([
    ctx.db.query('SELECT event_type AS k, COUNT(*) AS n FROM inbound_events WHERE source_id = $1 GROUP BY 1', [id]),
    ctx.db.query('SELECT status AS k, COUNT(*) AS n FROM inbound_events WHERE source_id = $1 GROUP BY 1', [id]),
    ctx.db.query('SELECT COUNT(*) AS n FROM inbound_events WHERE source_id = $1 AND received_at >= $2', [
      id,
      now - 24 * 3600 * 1000,
    ]),
  ]);
  return {
    events_by_type: countsOf(types.rows),
    events_by_status: countsOf(statuses.rows),
    recent_events_24h: num(recent.rows[0]?.n ?? 0),
    total_events: statuses.rows.reduce((n, r) => n + num(r.n), 0),
  };
}

export async function recordRejections(ctx: Ctx, rejections: readonly Rejection[]): Promise<void> {
  if (rejections.length === 0) return;
  const rows = rejections.map(rejectionToRow);
  await ctx.db.query(
    `INSERT INTO inbound_rejections (id, source_id, reason, headers, body_excerpt, received_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[])`,
    ['id', 'source_id', 'reason', 'headers', 'body_excerpt', 'received_at'].map((k) => rows.map((r) => r[k])),
  );
}

export async function listRejections(ctx: Ctx, sourceId: string, page: PageRequest): Promise<Page<Rejection>> {
  const order = pageOrder(page);
  const limit = pageLimit(page);
  const p = new Params();
  const { past, tail } = keyset(page, order, 'id', limit, p);
  const { rows } = await ctx.db.query(
    `SELECT * FROM inbound_rejections ${where([`source_id = ${p.add(lookupKey(sourceId))}`, past])} ${tail}`,
    p.values,
  );
  return toPage(rows, page, (r) => String(r.id), rejectionFromRow);
}

/** The InboundStore over one context: what postgres/index.ts spreads into the Store. */
export function inboundOps(ctx: Ctx) {
  return {
    createSource: (s: SourceInput, now: number) => createSource(ctx, s, now),
    getSource: (idOrUid: string) => getSource(ctx, idOrUid),
    listSources: (page: PageRequest) => listSources(ctx, page),
    updateSource: (s: SourceInput, now: number) => updateSource(ctx, s, now),
    deleteSource: (id: string) => deleteSource(ctx, id),
    receiveInbound: (batch: NewInboundEvent[], now: number) => receiveInbound(ctx, batch, now),
    getInboundEvent: (sourceId: string, id: string) => getInboundEvent(ctx, sourceId, id),
    listInboundEvents: (sourceId: string, filter: InboundEventFilter, page: InboundPageRequest) =>
      listInboundEvents(ctx, sourceId, filter, page),
    updateInboundEvent: (id: string, patch: InboundEventPatch, now: number) => updateInboundEvent(ctx, id, patch, now),
    settleInbound: (msgIds: readonly string[], errors: Readonly<Record<string, string>>, now: number) =>
      settleInbound(ctx, msgIds, errors, now),
    inboundStats: (sourceId: string, now: number) => inboundStats(ctx, sourceId, now),
    recordRejections: (rejections: readonly Rejection[]) => recordRejections(ctx, rejections),
    listRejections: (sourceId: string, page: PageRequest) => listRejections(ctx, sourceId, page),
  };
}
