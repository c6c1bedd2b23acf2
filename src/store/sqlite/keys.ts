import type { Store } from '../port.js';
import { apiKeyFromRow, apiKeyToRow } from '../rows.js';
import type { Ctx } from './db.js';
import { mapConstraint } from './errors.js';

type KeyOps = Pick<Store, 'createApiKey' | 'findApiKeyByHash' | 'listApiKeys' | 'touchApiKey' | 'revokeApiKey'>;

/** API keys. Only the token's hash is stored; revoked and expired keys are returned as they are, the caller judges. */
export function keyOps(ctx: Ctx): KeyOps {
  const insert = ctx.prepare(`INSERT INTO api_keys
    (id, name, prefix, hash, scopes, created_at, last_used_at, expires_at, revoked_at)
    VALUES (@id, @name, @prefix, @hash, @scopes, @created_at, @last_used_at, @expires_at, @revoked_at)`);
  const byHash = ctx.prepare('SELECT * FROM api_keys WHERE hash = ?');
  const list = ctx.prepare('SELECT * FROM api_keys ORDER BY id');
  const touch = ctx.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ?');
  // The first revocation time stands; revoking twice is not an error.
  const revoke = ctx.prepare('UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?');

  return {
    async createApiKey(key) {
      mapConstraint('An API key with this id or hash already exists.', () => insert().run(apiKeyToRow(key)));
    },

    async findApiKeyByHash(hash) {
      const row = byHash().get(hash);
      return row ? apiKeyFromRow(row) : null;
    },

    async listApiKeys() {
      return list().all().map(apiKeyFromRow);
    },

    async touchApiKey(id, now) {
      touch().run(now, id);
    },

    async revokeApiKey(id, now) {
      revoke().run(now, id);
    },
  };
}
