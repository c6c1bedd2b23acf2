import { randomToken, sha256Hex } from './core/crypto.js';
import { HookwayError } from './core/errors.js';
import { newId } from './core/ids.js';
import type { ApiKey, Store } from './store/port.js';

/** API keys are `hw_` + 32 random bytes (base64url); only their SHA-256 is stored. */
export const KEY_PREFIX = 'hw_';

export function newApiToken(): string {
  return randomToken(KEY_PREFIX, 32);
}

export async function createApiKey(
  store: Store,
  opts: { name: string; scopes: string[]; token?: string; expiresAt?: number | null },
  now: number,
): Promise<{ key: ApiKey; token: string }> {
  const token = opts.token ?? newApiToken();
  const key: ApiKey = {
    id: newId('key', now),
    name: opts.name,
    prefix: token.slice(0, 10),
    hash: sha256Hex(token),
    scopes: opts.scopes,
    createdAt: now,
    lastUsedAt: null,
    expiresAt: opts.expiresAt ?? null,
    revokedAt: null,
  };
  await store.createApiKey(key);
  return { key, token };
}

/**
 * The bootstrap admin token is the first admin key. With HOOKWAY_ADMIN_TOKEN
 * set, that token is registered (once); otherwise one is generated on the
 * first start and returned so it can be printed exactly once.
 */
export async function bootstrapAdmin(
  store: Store,
  configured: string | undefined,
  now: number,
): Promise<string | null> {
  if (configured) {
    if (!(await store.findApiKeyByHash(sha256Hex(configured)))) {
      try {
        await createApiKey(store, { name: 'admin (HOOKWAY_ADMIN_TOKEN)', scopes: ['admin'], token: configured }, now);
      } catch (err) {
        // Two nodes starting together: the other one registered it first.
        if (!(err instanceof HookwayError && err.code === 'conflict')) throw err;
      }
    }
    return null;
  }
  if (await store.getSetting('bootstrap_admin_key')) return null;
  const { key, token } = await createApiKey(store, { name: 'admin (bootstrap)', scopes: ['admin'] }, now);
  await store.setSetting('bootstrap_admin_key', key.id);
  return token;
}
