import { notFound } from '../../core/errors.js';
import type { Store } from '../port.js';
import { eventTypeFromRow, eventTypeToRow, pageLimit, toPage } from '../rows.js';
import { type Ctx, pageBound, pageOrder, prepareOrdered } from './db.js';
import { mapConstraint } from './errors.js';

type EventTypeOps = Pick<
  Store,
  'createEventType' | 'getEventType' | 'listEventTypes' | 'updateEventType' | 'deleteEventType'
>;

export function eventTypeOps(ctx: Ctx): EventTypeOps {
  const insert = ctx.prepare(`INSERT INTO event_types
    (name, description, schemas, archived, deprecated, feature_flag, group_name, created_at, updated_at)
    VALUES (@name, @description, @schemas, @archived, @deprecated, @feature_flag, @group_name, @created_at, @updated_at)
    RETURNING *`);
  const byName = ctx.prepare('SELECT * FROM event_types WHERE name = ?');
  // The catalogue pages by name (A to Z unless asked otherwise), not by creation time.
  const list = prepareOrdered(
    ctx,
    (dir, past) => `SELECT * FROM event_types
      WHERE name ${past} @bound AND (@include_archived = 1 OR archived = 0)
      ORDER BY name ${dir} LIMIT @limit`,
  );
  const update = ctx.prepare(`UPDATE event_types
    SET description = @description, schemas = @schemas, archived = @archived, deprecated = @deprecated,
        feature_flag = @feature_flag, group_name = @group_name, updated_at = @updated_at
    WHERE name = @name RETURNING *`);
  const remove = ctx.prepare('DELETE FROM event_types WHERE name = ?');

  return {
    async createEventType(et, now) {
      const row = mapConstraint('An event type with this name already exists.', () =>
        insert().get(eventTypeToRow(et, now)),
      );
      return eventTypeFromRow(row!);
    },

    async getEventType(name) {
      const row = byName().get(name);
      return row ? eventTypeFromRow(row) : null;
    },

    async listEventTypes(page, opts) {
      const order = pageOrder(page, 'asc');
      const limit = pageLimit(page);
      const rows = list(order).all({
        bound: pageBound(page, order),
        include_archived: opts.includeArchived ? 1 : 0,
        limit: limit + 1,
      });
      return toPage(rows, page, (r) => String(r.name), eventTypeFromRow);
    },

    async updateEventType(et, now) {
      const row = update().get(eventTypeToRow(et, now));
      if (!row) throw notFound('Event type');
      return eventTypeFromRow(row);
    },

    async deleteEventType(name) {
      remove().run(name);
    },
  };
}
