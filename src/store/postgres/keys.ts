import type { ApiKey } from '../port.js';
import { apiKeyFromRow, apiKeyToRow } from '../rows.js';
import { mapConstraint } from './db.js';
import { type Ctx, lookupKey } from './sql.js';

/** API keys. Only the token's hash is stored; revoked and expired keys are returned as they are, the caller judges. */
export async function createApiKey(ctx: Ctx, key: ApiKey): Promise<void> {
  const r = apiKeyToRow(key);
  await mapConstraint('An API key with this id or hash already exists.', () =>
    ctx.db.query(
      `INSERT INTO api_keys (id, name, prefix, hash, scopes, created_at, last_used_at, expires_at, revoked_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [r.id, r.name, r.prefix, r.hash, r.scopes, r.created_at, r.last_used_at, r.expires_at, r.revoked_at],
    ),
  );
}

export async function findApiKeyByHash(ctx: Ctx, hash: string): Promise<ApiKey | null> {
  const { rows } = await ctx.db.query('SELECT * FROM api_keys WHERE hash = $1', [lookupKey(hash)]);
  return rows[0] ? apiKeyFromRow(rows[0]) : null;
}

export async function listApiKeys(ctx: Ctx): Promise<ApiKey[]> {
  const { rows } = await ctx.db.query('SELECT * FROM api_keys ORDER BY id');
  return rows.map(apiKeyFromRow);
}

export async function touchApiKey(ctx: Ctx, id: string, now: number): Promise<void> {
  await ctx.db.query('UPDATE api_keys SET last_used_at = $2 WHERE id = $1', [lookupKey(id), now]);
}

/** The first revocation time stands; revoking twice is not an error. */
export async function revokeApiKey(ctx: Ctx, id: string, now: number): Promise<void> {
  await ctx.db.query('UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1', [lookupKey(id), now]);
}
