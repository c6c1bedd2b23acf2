import type { IdempotentResponse } from '../port.js';
import { num } from '../rows.js';
import { type Ctx, lookupKey } from './sql.js';

/**
 * Idempotency-Key answers. An expired row reads as absent and the next save
 * replaces it, so expiry needs no sweeper to be correct (only to reclaim space).
 */
export async function getIdempotent(ctx: Ctx, key: string, now: number): Promise<IdempotentResponse | null> {
  const { rows } = await ctx.db.query('SELECT status_code, body FROM idempotency WHERE key = $1 AND expires_at > $2', [
    lookupKey(key),
    now,
  ]);
  const row = rows[0];
  return row ? { statusCode: num(row.status_code), body: String(row.body) } : null;
}

export async function saveIdempotent(
  ctx: Ctx,
  key: string,
  response: IdempotentResponse,
  expiresAt: number,
): Promise<void> {
  await ctx.db.query(
    `INSERT INTO idempotency (key, status_code, body, expires_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (key) DO UPDATE SET status_code = excluded.status_code, body = excluded.body,
       expires_at = excluded.expires_at`,
    [key, response.statusCode, response.body, expiresAt],
  );
}
