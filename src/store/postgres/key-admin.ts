import type { Page, PageRequest } from '../../core/types.js';
import type { ApiKey } from '../port.js';
import { apiKeyFromRow, pageLimit, toPage } from '../rows.js';
import { type Ctx, keyset, lookupKey, Params, pageOrder, where } from './sql.js';

/** Key administration beyond the auth path: one key, a page of keys, expiring a group (portal tokens). */
export async function getApiKey(ctx: Ctx, id: string): Promise<ApiKey | null> {
  const { rows } = await ctx.db.query('SELECT * FROM api_keys WHERE id = $1', [lookupKey(id)]);
  return rows[0] ? apiKeyFromRow(rows[0]) : null;
}

export async function listApiKeysPage(ctx: Ctx, page: PageRequest): Promise<Page<ApiKey>> {
  const order = pageOrder(page);
  const limit = pageLimit(page);
  const p = new Params();
  const { past, tail } = keyset(page, order, 'id', limit, p);
  const { rows } = await ctx.db.query(`SELECT * FROM api_keys ${where([past])} ${tail}`, p.values);
  return toPage(rows, page, (r) => String(r.id), apiKeyFromRow);
}

/** An earlier expiry stands: expiring "in an hour" never extends a token. */
export async function expireApiKeysByName(ctx: Ctx, name: string, at: number): Promise<number> {
  const { rowCount } = await ctx.db.query(
    `UPDATE api_keys SET expires_at = $2
     WHERE name = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)`,
    [lookupKey(name), at],
  );
  return rowCount ?? 0;
}
