import type { Store } from '../port.js';
import { num } from '../rows.js';
import type { Ctx } from './db.js';

/**
 * Idempotency-Key answers. An expired row reads as absent and the next save
 * replaces it, so expiry needs no sweeper to be correct (only to reclaim space).
 */
export function idempotencyOps(ctx: Ctx): Pick<Store, 'getIdempotent' | 'saveIdempotent'> {
  const get = ctx.prepare('SELECT status_code, body FROM idempotency WHERE key = ? AND expires_at > ?');
  const save = ctx.prepare(`INSERT INTO idempotency (key, status_code, body, expires_at)
    VALUES (@key, @status_code, @body, @expires_at)
    ON CONFLICT (key) DO UPDATE SET status_code = excluded.status_code, body = excluded.body,
      expires_at = excluded.expires_at`);

  return {
    async getIdempotent(key, now) {
      const row = get().get(key, now);
      return row ? { statusCode: num(row.status_code), body: String(row.body) } : null;
    },

    async saveIdempotent(key, response, expiresAt) {
      save().run({ key, status_code: response.statusCode, body: response.body, expires_at: expiresAt });
    },
  };
}
