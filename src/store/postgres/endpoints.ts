import { notFound } from '../../core/errors.js';
import type { Endpoint, Page, PageRequest } from '../../core/types.js';
import type { EndpointInput } from '../port.js';
import { bool, endpointFromRow, endpointToRow, pageLimit, type Row, toPage } from '../rows.js';
import { mapConstraint } from './db.js';
import { switchFifo } from './fifo.js';
import { type Ctx, keyset, lookupKey, Params, pageOrder, where } from './sql.js';

const fromRow = (ctx: Ctx) => (row: Row) => endpointFromRow(row, ctx.cipher);

/** Parameters $3..$20 of both the INSERT and the UPDATE, in column order. */
const settable = (r: Row): unknown[] => [
  r.uid,
  r.url,
  r.description,
  r.version,
  r.filter_types,
  r.channels,
  r.disabled,
  r.rate_limit,
  r.metadata,
  r.headers,
  r.secrets,
  r.timeout_ms,
  r.retry_schedule,
  r.format,
  r.transformation,
  r.filter,
  r.credentials,
  r.fifo,
];

export async function createEndpoint(ctx: Ctx, ep: EndpointInput, now: number): Promise<Endpoint> {
  const r = endpointToRow(ep, ctx.cipher, now);
  const { rows } = await mapConstraint('An endpoint with this id or uid already exists.', () =>
    ctx.db.query(
      `INSERT INTO endpoints (id, app_id, uid, url, description, version, filter_types, channels, disabled,
         rate_limit, metadata, headers, secrets, timeout_ms, retry_schedule, format, transformation,
         filter, credentials, fifo, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, COALESCE($6, 1), $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
         $21, $22)
       RETURNING *`,
      [r.id, r.app_id, ...settable(r), r.created_at, r.updated_at],
    ),
  );
  return fromRow(ctx)(rows[0]);
}

/** By id first, then by uid, within one application. */
export async function getEndpoint(ctx: Ctx, appId: string, idOrUid: string): Promise<Endpoint | null> {
  const { rows } = await ctx.db.query(
    'SELECT * FROM endpoints WHERE app_id = $1 AND (id = $2 OR uid = $2) ORDER BY id = $2 DESC LIMIT 1',
    [lookupKey(appId), lookupKey(idOrUid)],
  );
  return rows[0] ? fromRow(ctx)(rows[0]) : null;
}

export async function listEndpoints(ctx: Ctx, appId: string, page: PageRequest): Promise<Page<Endpoint>> {
  const order = pageOrder(page);
  const limit = pageLimit(page);
  const p = new Params();
  const app = `app_id = ${p.add(lookupKey(appId))}`;
  const { past, tail } = keyset(page, order, 'id', limit, p);
  const { rows } = await ctx.db.query(`SELECT * FROM endpoints ${where([app, past])} ${tail}`, p.values);
  return toPage(rows, page, (r) => String(r.id), fromRow(ctx));
}

export async function activeEndpoints(ctx: Ctx, appId: string): Promise<Endpoint[]> {
  const { rows } = await ctx.db.query('SELECT * FROM endpoints WHERE app_id = $1 AND NOT disabled ORDER BY id', [
    lookupKey(appId),
  ]);
  return rows.map(fromRow(ctx));
}

/**
 * `version` is kept when the caller leaves it out; created_at never changes.
 * Turning FIFO on or off renumbers the queued deliveries in the same
 * transaction (the row lock taken first orders it against message inserts).
 */
export async function updateEndpoint(ctx: Ctx, ep: EndpointInput, now: number): Promise<Endpoint> {
  const r = endpointToRow(ep, ctx.cipher, now);
  const row = await mapConstraint('An endpoint with this uid already exists.', () =>
    ctx.db.tx(async (c) => {
      const before = await c.query('SELECT fifo FROM endpoints WHERE app_id = $1 AND id = $2 FOR NO KEY UPDATE', [
        r.app_id,
        r.id,
      ]);
      const { rows } = await c.query(
        `UPDATE endpoints SET uid = $3, url = $4, description = $5, version = COALESCE($6, version),
           filter_types = $7, channels = $8, disabled = $9, rate_limit = $10, metadata = $11, headers = $12,
           secrets = $13, timeout_ms = $14, retry_schedule = $15, format = $16, transformation = $17,
           filter = $18, credentials = $19, fifo = $20, updated_at = $21
         WHERE app_id = $1 AND id = $2 RETURNING *`,
        [r.app_id, r.id, ...settable(r), r.updated_at],
      );
      const after = rows[0];
      if (after && before.rows[0] && bool(before.rows[0].fifo) !== bool(after.fifo)) {
        await switchFifo(c, String(after.id), bool(after.fifo));
      }
      return after;
    }),
  );
  if (!row) throw notFound('Endpoint');
  return fromRow(ctx)(row);
}

export async function deleteEndpoint(ctx: Ctx, appId: string, id: string): Promise<void> {
  await ctx.db.query('DELETE FROM endpoints WHERE app_id = $1 AND id = $2', [lookupKey(appId), lookupKey(id)]);
}
