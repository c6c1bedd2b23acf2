import { notFound } from '../../core/errors.js';
import type { InboundReceipt, InboundStore, NewInboundEvent } from '../inbound-port.js';
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
import { num, pageLimit, type Row, toPage } from '../rows.js';
import { type Ctx, pageBound, pageOrder, prepareOrdered } from './db.js';
import { mapConstraint } from './errors.js';
import { messageInserter } from './messages.js';

/**
 * The inbound tables. `receiveInbound` is the hot path: one IMMEDIATE
 * transaction per group-committed batch, where each event is
 * `INSERT ... ON CONFLICT DO NOTHING` and only the events that were really
 * inserted get their forwarding messages and deliveries (messages.ts's own
 * inserter, so there is one way to queue work).
 */
export function inboundOps(ctx: Ctx): InboundStore {
  const insertSource = ctx.prepare(`INSERT INTO sources (id, uid, name, type, config, app_id, forward_app_id,
      body_limit, metadata, created_at, updated_at)
    VALUES (@id, @uid, @name, @type, @config, @app_id, @forward_app_id, @body_limit, @metadata, @created_at,
      @updated_at) RETURNING *`);
  const sourceById = ctx.prepare('SELECT * FROM sources WHERE id = ?');
  const sourceByUid = ctx.prepare('SELECT * FROM sources WHERE uid = ?');
  const listSources = prepareOrdered(
    ctx,
    (dir, past) => `SELECT * FROM sources WHERE id ${past} @bound ORDER BY id ${dir} LIMIT @limit`,
  );
  const updateSource = ctx.prepare(`UPDATE sources SET uid = @uid, name = @name, type = @type, config = @config,
      forward_app_id = @forward_app_id, body_limit = @body_limit, metadata = @metadata, updated_at = @updated_at
    WHERE id = @id RETURNING *`);
  const deleteSource = ctx.prepare('DELETE FROM sources WHERE id = ?');

  // Receiving is the hot write of the public /in route: it commits on the NORMAL connection and is
  // made durable off the event loop before the answer (see wal-sync.ts), like new messages.
  const insertEvent = ctx.engine.prepare(`INSERT INTO inbound_events (id, source_id, dedupe_key, event_id, event_type,
      body, content_type, headers, status, error, attempts, msg_id, forward_msg_id, received_at, updated_at)
    VALUES (@id, @source_id, @dedupe_key, @event_id, @event_type, @body, @content_type, @headers, @status, @error,
      @attempts, @msg_id, @forward_msg_id, @received_at, @updated_at)
    ON CONFLICT (source_id, dedupe_key) DO NOTHING`);
  const byDedupe = ctx.engine.prepare(
    'SELECT id, event_type FROM inbound_events WHERE source_id = ? AND dedupe_key = ?',
  );
  const insertMessages = messageInserter(ctx.engine);
  const eventById = ctx.prepare('SELECT * FROM inbound_events WHERE source_id = ? AND id = ?');
  // `@x IS NULL OR ...` keeps one statement per direction; (source_id, status|type, id) indexes serve the filters.
  const listEvents = prepareOrdered(
    ctx,
    (dir, past) => `SELECT ${EVENT_COLUMNS} FROM inbound_events
      WHERE source_id = @source_id AND id ${past} @bound
        AND (@status IS NULL OR status = @status)
        AND (@event_type IS NULL OR event_type = @event_type)
        AND (@since IS NULL OR received_at >= @since)
      ORDER BY id ${dir} LIMIT @limit OFFSET @offset`,
  );
  const updateEvent = ctx.prepare(`UPDATE inbound_events SET status = @status, error = @error,
      msg_id = COALESCE(@msg_id, msg_id), forward_msg_id = COALESCE(@forward_msg_id, forward_msg_id),
      updated_at = @now
    WHERE id = @id`);
  const settle = ctx.prepare(settleSql((name) => `@${name}`));
  const byType = ctx.prepare(
    'SELECT event_type AS k, COUNT(*) AS n FROM inbound_events WHERE source_id = ? GROUP BY event_type',
  );
  const byStatus = ctx.prepare(
    'SELECT status AS k, COUNT(*) AS n FROM inbound_events WHERE source_id = ? GROUP BY status',
  );
  const recent = ctx.prepare('SELECT COUNT(*) AS n FROM inbound_events WHERE source_id = ? AND received_at >= ?');

  const insertRejection = ctx.prepare(`INSERT INTO inbound_rejections
      (id, source_id, reason, headers, body_excerpt, received_at)
    VALUES (@id, @source_id, @reason, @headers, @body_excerpt, @received_at)`);
  const listRejections = prepareOrdered(
    ctx,
    (dir, past) => `SELECT * FROM inbound_rejections WHERE source_id = @source_id AND id ${past} @bound
      ORDER BY id ${dir} LIMIT @limit`,
  );

  const receiveTx = ctx.engine.db.transaction((batch: NewInboundEvent[], now: number): InboundReceipt[] => {
    const receipts: InboundReceipt[] = [];
    for (const { event, messages } of batch) {
      if (insertEvent().run(inboundToRow(event)).changes === 1) {
        receipts.push({ duplicate: false, id: event.id, leased: insertMessages(messages, now) });
      } else {
        const first = byDedupe().get(event.sourceId, event.dedupeKey);
        receipts.push({ duplicate: true, id: String(first?.id), eventType: String(first?.event_type) });
      }
    }
    return receipts;
  });
  const settleTx = ctx.db.transaction((msgIds: readonly string[], errors: Record<string, string>, now: number) => {
    for (const id of new Set(msgIds)) settle().run({ id, error: errors[id] ?? null, now });
  });
  const rejectTx = ctx.db.transaction((rows: Row[]) => {
    for (const r of rows) insertRejection().run(r);
  });

  return {
    async createSource(source, now) {
      const row = mapConstraint('A source with this id or uid already exists.', () =>
        insertSource().get(sourceToRow(source, ctx.cipher, now)),
      );
      return sourceFromRow(row!, ctx.cipher);
    },

    async getSource(idOrUid) {
      const row = sourceById().get(idOrUid) ?? sourceByUid().get(idOrUid);
      return row ? sourceFromRow(row, ctx.cipher) : null;
    },

    async listSources(page) {
      const order = pageOrder(page);
      const limit = pageLimit(page);
      const rows = listSources(order).all({ bound: pageBound(page, order), limit: limit + 1 });
      return toPage(
        rows,
        page,
        (r) => String(r.id),
        (r) => sourceFromRow(r, ctx.cipher),
      );
    },

    async updateSource(source, now) {
      const row = mapConstraint('A source with this uid already exists.', () =>
        updateSource().get(sourceToRow(source, ctx.cipher, now)),
      );
      if (!row) throw notFound('Source');
      return sourceFromRow(row, ctx.cipher);
    },

    async deleteSource(id) {
      deleteSource().run(id);
    },

    async receiveInbound(batch, now) {
      if (batch.length === 0) return [];
      const receipts = receiveTx.immediate(batch, now);
      await ctx.durable();
      return receipts;
    },

    async getInboundEvent(sourceId, id) {
      const row = eventById().get(sourceId, id);
      return row ? inboundFromRow(row) : null;
    },

    async listInboundEvents(sourceId, filter, page) {
      const order = pageOrder(page);
      const limit = pageLimit(page);
      const rows = listEvents(order).all({
        source_id: sourceId,
        bound: pageBound(page, order),
        status: filter.status ?? null,
        event_type: filter.eventType ?? null,
        since: filter.since ?? null,
        limit: limit + 1,
        offset: page.offset ?? 0,
      });
      return toPage(rows, page, (r) => String(r.id), inboundFromRow);
    },

    async updateInboundEvent(id, patch, now) {
      updateEvent().run({
        id,
        status: patch.status,
        error: patch.error,
        msg_id: patch.msgId ?? null,
        forward_msg_id: patch.forwardMsgId ?? null,
        now,
      });
    },

    async settleInbound(msgIds, errors, now) {
      if (msgIds.length > 0) settleTx.immediate(msgIds, { ...errors }, now);
    },

    async inboundStats(sourceId, now) {
      const total = (rows: Row[]) => rows.reduce((n, r) => n + num(r.n), 0);
      const statuses = byStatus().all(sourceId);
      return {
        events_by_type: countsOf(byType().all(sourceId)),
        events_by_status: countsOf(statuses),
        recent_events_24h: num(recent().get(sourceId, now - 24 * 3600 * 1000)?.n ?? 0),
        total_events: total(statuses),
      };
    },

    async recordRejections(rejections) {
      if (rejections.length > 0) rejectTx.immediate(rejections.map(rejectionToRow));
    },

    async listRejections(sourceId, page) {
      const order = pageOrder(page);
      const limit = pageLimit(page);
      const rows = listRejections(order).all({ source_id: sourceId, bound: pageBound(page, order), limit: limit + 1 });
      return toPage(rows, page, (r) => String(r.id), rejectionFromRow);
    },
  };
}
