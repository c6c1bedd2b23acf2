import { newId } from '../../core/ids.js';
import type { MessageFilter, NewMessage, Store } from '../port.js';
import { messageFromRow, messageToRow, pageLimit, toJson, toPage } from '../rows.js';
import { type Ctx, pageBound, pageOrder, prepareOrdered } from './db.js';
import { mapConstraint } from './errors.js';
import { fifoSequencer } from './fifo.js';
import { filterErrorInserter } from './filter-errors.js';

type MessageOps = Pick<Store, 'createMessages' | 'getMessage' | 'findMessageByEventId' | 'listMessages'>;

/**
 * Inserts messages and their deliveries; the caller owns the transaction.
 * Shared by createMessages and the inbound gateway (sqlite/inbound.ts), whose
 * forwarding messages commit with the inbound events that caused them.
 */
export function messageInserter(ctx: Ctx): (batch: readonly NewMessage[], now: number) => Set<string> {
  const insertMessage = ctx.prepare(`INSERT INTO messages
    (id, app_id, event_type, event_id, payload, channels, tags, created_at, trace_context)
    VALUES (@id, @app_id, @event_type, @event_id, @payload, @channels, @tags, @created_at, @trace_context)`);
  // A leased delivery is created as being sent (status 1) by this node until its lease ends.
  const insertDelivery = ctx.prepare(`INSERT INTO deliveries
    (id, msg_id, endpoint_id, app_id, status, attempts, next_attempt_at, lease_until, seq, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)`);
  const insertFilterErrors = filterErrorInserter(ctx);
  const takeSeqs = fifoSequencer(ctx);
  return (batch, now) => {
    const leased = new Set<string>();
    const counts = new Map<string, number>();
    for (const { endpointIds } of batch) for (const id of endpointIds) counts.set(id, (counts.get(id) ?? 0) + 1);
    // FIFO endpoints' next numbers; their deliveries are never leased (claims keep their order).
    const seqs = takeSeqs(counts);
    for (const { message, endpointIds, leased: lease } of batch) {
      insertMessage().run(messageToRow(message));
      for (const endpointId of endpointIds) {
        const seq = seqs.get(endpointId) ?? null;
        if (seq !== null) seqs.set(endpointId, seq + 1);
        const leasedId = seq === null ? lease?.ids.get(endpointId) : undefined;
        const id = leasedId ?? newId('dlv', now);
        const until = leasedId !== undefined && lease ? lease.until : null;
        const status = until === null ? 0 : 1;
        insertDelivery().run(id, message.id, endpointId, message.appId, status, now, until, seq, now, now);
        if (leasedId !== undefined) leased.add(leasedId);
      }
    }
    insertFilterErrors(batch, now);
    return leased;
  };
}

/** The named parameters of the message filters (`@x IS NULL OR ...` in the statements). */
export function messageFilterParams(filter: MessageFilter): Record<string, string | number | null> {
  return {
    event_types: filter.eventTypes && filter.eventTypes.length > 0 ? toJson(filter.eventTypes) : null,
    channel: filter.channel ?? null,
    tag: filter.tag ?? null,
    before: filter.before ?? null,
    after: filter.after ?? null,
  };
}

export function messageOps(ctx: Ctx): MessageOps {
  const byId = ctx.prepare('SELECT * FROM messages WHERE app_id = ? AND id = ?');
  const byEventId = ctx.prepare('SELECT * FROM messages WHERE app_id = ? AND event_id = ?');
  // Optional filters are `@x IS NULL OR ...` so one statement per direction serves every
  // combination; the (app_id, id) index still drives the scan and the keyset seek.
  const list = prepareOrdered(
    ctx,
    (dir, past) => `SELECT * FROM messages
      WHERE app_id = @app_id AND id ${past} @bound
        AND (@event_types IS NULL OR event_type IN (SELECT value FROM json_each(@event_types)))
        AND (@channel IS NULL OR EXISTS (SELECT 1 FROM json_each(messages.channels) WHERE value = @channel))
        AND (@tag IS NULL OR EXISTS (SELECT 1 FROM json_each(messages.tags) WHERE value = @tag))
        AND (@before IS NULL OR created_at < @before)
        AND (@after IS NULL OR created_at > @after)
      ORDER BY id ${dir} LIMIT @limit`,
  );

  /**
   * Group commit: every message of the batch and all its deliveries, or nothing. Committed on
   * the NORMAL connection, then made durable off the event loop before the promise resolves
   * (see wal-sync.ts): the 2xx still means on disk, and the next group commits meanwhile.
   */
  const insertDurably = messageInserter(ctx.engine);
  const insertBatch = ctx.engine.db.transaction((batch: NewMessage[], now: number) => insertDurably(batch, now));

  return {
    async createMessages(batch, now) {
      if (batch.length === 0) return new Set();
      const leased = mapConstraint('A message with this id or eventId already exists.', () =>
        insertBatch.immediate(batch, now),
      );
      await ctx.durable();
      return leased;
    },

    async getMessage(appId, idOrEventId) {
      const row = byId().get(appId, idOrEventId) ?? byEventId().get(appId, idOrEventId);
      return row ? messageFromRow(row) : null;
    },

    async findMessageByEventId(appId, eventId) {
      const row = byEventId().get(appId, eventId);
      return row ? messageFromRow(row) : null;
    },

    async listMessages(appId, filter, page) {
      const order = pageOrder(page);
      const limit = pageLimit(page);
      const rows = list(order).all({
        app_id: appId,
        bound: pageBound(page, order),
        ...messageFilterParams(filter),
        limit: limit + 1,
      });
      return toPage(rows, page, (r) => String(r.id), messageFromRow);
    },
  };
}
