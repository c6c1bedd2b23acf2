import { notFound } from '../../core/errors.js';
import type { EventType, Page, PageRequest } from '../../core/types.js';
import type { EventTypeInput } from '../port.js';
import { eventTypeFromRow, eventTypeToRow, pageLimit, toPage } from '../rows.js';
import { mapConstraint } from './db.js';
import { type Ctx, keyset, lookupKey, Params, pageOrder, where } from './sql.js';

export async function createEventType(ctx: Ctx, et: EventTypeInput, now: number): Promise<EventType> {
  const r = eventTypeToRow(et, now);
  const { rows } = await mapConstraint('An event type with this name already exists.', () =>
    ctx.db.query(
      `INSERT INTO event_types
         (name, description, schemas, archived, deprecated, feature_flag, group_name, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
      [
        r.name,
        r.description,
        r.schemas,
        r.archived,
        r.deprecated,
        r.feature_flag,
        r.group_name,
        r.created_at,
        r.updated_at,
      ],
    ),
  );
  return eventTypeFromRow(rows[0]);
}

export async function getEventType(ctx: Ctx, name: string): Promise<EventType | null> {
  const { rows } = await ctx.db.query('SELECT * FROM event_types WHERE name = $1', [lookupKey(name)]);
  return rows[0] ? eventTypeFromRow(rows[0]) : null;
}

/** The catalogue pages by name (A to Z unless asked otherwise), not by creation time. */
export async function listEventTypes(
  ctx: Ctx,
  page: PageRequest,
  opts: { includeArchived: boolean },
): Promise<Page<EventType>> {
  const order = pageOrder(page, 'asc');
  const limit = pageLimit(page);
  const p = new Params();
  const { past, tail } = keyset(page, order, 'name', limit, p);
  const { rows } = await ctx.db.query(
    `SELECT * FROM event_types ${where([past, !opts.includeArchived && 'NOT archived'])} ${tail}`,
    p.values,
  );
  return toPage(rows, page, (r) => String(r.name), eventTypeFromRow);
}

export async function updateEventType(ctx: Ctx, et: EventTypeInput, now: number): Promise<EventType> {
  const r = eventTypeToRow(et, now);
  const { rows } = await ctx.db.query(
    `UPDATE event_types SET description = $2, schemas = $3, archived = $4, deprecated = $5,
       feature_flag = $6, group_name = $7, updated_at = $8
     WHERE name = $1 RETURNING *`,
    [r.name, r.description, r.schemas, r.archived, r.deprecated, r.feature_flag, r.group_name, r.updated_at],
  );
  if (!rows[0]) throw notFound('Event type');
  return eventTypeFromRow(rows[0]);
}

export async function deleteEventType(ctx: Ctx, name: string): Promise<void> {
  await ctx.db.query('DELETE FROM event_types WHERE name = $1', [lookupKey(name)]);
}
