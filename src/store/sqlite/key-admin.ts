import type { Store } from '../port.js';
import { apiKeyFromRow, pageLimit, toPage } from '../rows.js';
import { type Ctx, pageBound, pageOrder, prepareOrdered } from './db.js';

type KeyAdminOps = Pick<Store, 'getApiKey' | 'listApiKeysPage' | 'expireApiKeysByName'>;

/** Key administration beyond the auth path: one key, a page of keys, expiring a group (portal tokens). */
export function keyAdminOps(ctx: Ctx): KeyAdminOps {
  const byId = ctx.prepare('SELECT * FROM api_keys WHERE id = ?');
  const list = prepareOrdered(
    ctx,
    (dir, past) => `SELECT * FROM api_keys WHERE id ${past} @bound ORDER BY id ${dir} LIMIT @limit`,
  );
  // An earlier expiry stands: expiring "in an hour" never extends a token.
  const expire = ctx.prepare(`UPDATE api_keys SET expires_at = ?
    WHERE name = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)`);

  return {
    async getApiKey(id) {
      const row = byId().get(id);
      return row ? apiKeyFromRow(row) : null;
    },

    async listApiKeysPage(page) {
      const order = pageOrder(page);
      const limit = pageLimit(page);
      const rows = list(order).all({ bound: pageBound(page, order), limit: limit + 1 });
      return toPage(rows, page, (r) => String(r.id), apiKeyFromRow);
    },

    async expireApiKeysByName(name, at) {
      return expire().run(at, name, at).changes;
    },
  };
}
