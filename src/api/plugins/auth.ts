import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sha256Hex } from '../../core/crypto.js';
import { HookwayError } from '../../core/errors.js';
import type { ApiKey, Store } from '../../store/port.js';
import type { Principal } from '../access.js';

/**
 * Bearer-token authentication. Tokens are random (>= 192 bits), so a
 * SHA-256 of the token is a safe lookup key: the database holds hashes only,
 * and the lookup itself is an index probe, not a comparison that could leak
 * timing. A short cache keeps the hot path off the database; revocation
 * takes effect within CACHE_MS.
 */
const CACHE_MS = 5_000;
const TOUCH_EVERY_MS = 60_000;

declare module 'fastify' {
  interface FastifyInstance {
    /** Drops cached key lookups, after a key is revoked or expired. */
    forgetApiKeys(): void;
  }
}

export interface AuthOptions {
  store: Store;
  now: () => number;
  /** Path prefixes that need no token. */
  publicPrefixes: string[];
}

export function registerAuth(app: FastifyInstance, opts: AuthOptions): void {
  const cache = new Map<string, { key: ApiKey | null; at: number }>();
  const touched = new Map<string, number>();

  async function lookup(token: string): Promise<ApiKey | null> {
    const hash = sha256Hex(token);
    const now = opts.now();
    const hit = cache.get(hash);
    if (hit && now - hit.at < CACHE_MS) return hit.key;
    const key = await opts.store.findApiKeyByHash(hash);
    if (cache.size > 10_000) cache.clear();
    cache.set(hash, { key, at: now });
    return key;
  }

  // Revocation on this node takes effect at once; other nodes see it within CACHE_MS.
  app.decorate('forgetApiKeys', () => cache.clear());
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const path = request.url.split('?')[0] ?? '';
    if (opts.publicPrefixes.some((p) => path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`))) return;
    if (!path.startsWith('/api/') && !path.startsWith('/ingest/api/')) return;
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (!token) throw new HookwayError('unauthorized', 'Send Authorization: Bearer <token>.');
    const key = await lookup(token);
    const now = opts.now();
    if (!key || key.revokedAt !== null || (key.expiresAt !== null && key.expiresAt <= now)) {
      throw new HookwayError('unauthorized', 'Invalid or expired token.');
    }
    const principal: Principal = { keyId: key.id, scopes: key.scopes };
    request.principal = principal;
    const last = touched.get(key.id) ?? 0;
    if (now - last > TOUCH_EVERY_MS) {
      touched.set(key.id, now);
      opts.store.touchApiKey(key.id, now).catch((err) => request.log.warn({ err }, 'could not record key use'));
    }
  });
}
