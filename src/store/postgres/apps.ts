import { notFound } from '../../core/errors.js';
import type { Application, Page, PageRequest } from '../../core/types.js';
import type { AppInput } from '../port.js';
import { appFromRow, appToRow, pageLimit, toPage } from '../rows.js';
import { mapConstraint } from './db.js';
import { type Ctx, keyset, lookupKey, Params, pageOrder, where } from './sql.js';

export async function createApp(ctx: Ctx, app: AppInput, now: number): Promise<Application> {
  const r = appToRow(app, now);
  const { rows } = await mapConstraint('An application with this id or uid already exists.', () =>
    ctx.db.query(
      `INSERT INTO applications (id, uid, name, rate_limit, metadata, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [r.id, r.uid, r.name, r.rate_limit, r.metadata, r.created_at, r.updated_at],
    ),
  );
  return appFromRow(rows[0]);
}

/** By id first: a uid that happens to look like another app's id must not shadow it. */
export async function getApp(ctx: Ctx, idOrUid: string): Promise<Application | null> {
  const { rows } = await ctx.db.query(
    'SELECT * FROM applications WHERE id = $1 OR uid = $1 ORDER BY id = $1 DESC LIMIT 1',
    [lookupKey(idOrUid)],
  );
  return rows[0] ? appFromRow(rows[0]) : null;
}

export async function listApps(ctx: Ctx, page: PageRequest): Promise<Page<Application>> {
  const order = pageOrder(page);
  const limit = pageLimit(page);
  const p = new Params();
  const { past, tail } = keyset(page, order, 'id', limit, p);
  const { rows } = await ctx.db.query(`SELECT * FROM applications ${where([past])} ${tail}`, p.values);
  return toPage(rows, page, (r) => String(r.id), appFromRow);
}

export async function updateApp(ctx: Ctx, app: AppInput, now: number): Promise<Application> {
  const r = appToRow(app, now);
  const { rows } = await mapConstraint('An application with this uid already exists.', () =>
    ctx.db.query(
      `UPDATE applications SET uid = $2, name = $3, rate_limit = $4, metadata = $5, updated_at = $6
       WHERE id = $1 RETURNING *`,
      [r.id, r.uid, r.name, r.rate_limit, r.metadata, r.updated_at],
    ),
  );
  if (!rows[0]) throw notFound('Application');
  return appFromRow(rows[0]);
}

/** Attempts have no foreign key (they outlive endpoint deletes), so an app's go explicitly. */
export async function deleteApp(ctx: Ctx, id: string): Promise<void> {
  await ctx.db.tx(async (c) => {
    await c.query('DELETE FROM attempts WHERE app_id = $1', [lookupKey(id)]);
    await c.query('DELETE FROM applications WHERE id = $1', [lookupKey(id)]);
  });
}
