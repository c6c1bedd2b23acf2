import type { FastifyInstance } from 'fastify';
import type { Context } from '../../context.js';
import { HookwayError, invalid, notFound } from '../../core/errors.js';
import { createApiKey } from '../../keys.js';
import type { ApiKey, Store } from '../../store/port.js';
import { requireAdmin } from '../access.js';
import { pageRequest, type Query } from '../params.js';
import { normalizeScopes } from '../plugins/scopes.js';
import { iso } from '../serialize.js';

/** A key as lists show it: never the hash, only the first characters of the token. */
export function apiKeyOut(k: ApiKey): Record<string, unknown> {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    scopes: k.scopes,
    createdAt: iso(k.createdAt),
    lastUsedAt: k.lastUsedAt === null ? null : iso(k.lastUsedAt),
    expiresAt: k.expiresAt === null ? null : iso(k.expiresAt),
    revokedAt: k.revokedAt === null ? null : iso(k.revokedAt),
  };
}

const keyIn = {
  type: 'object',
  required: ['name', 'scopes'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 256 },
    scopes: { type: 'array', minItems: 1, maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 300 } },
    expiresAt: { type: ['string', 'null'], maxLength: 64 },
  },
} as const;

/**
 * Revoking must not lock the operator out: the last usable admin key stays.
 * (A fresh admin key can always be made first, then the old one revoked.)
 */
export async function refuseLastAdmin(store: Store, key: ApiKey, now: number): Promise<void> {
  if (!key.scopes.includes('admin') || key.scopes.includes('read-only')) return;
  const usable = (k: ApiKey) =>
    k.revokedAt === null && (k.expiresAt === null || k.expiresAt > now) && k.scopes.includes('admin');
  const others = (await store.listApiKeys()).filter(
    (k) => k.id !== key.id && usable(k) && !k.scopes.includes('read-only'),
  );
  if (others.length === 0) throw new HookwayError('conflict', 'This is the last admin key; create another one first.');
}

/** `/api/v1/auth/keys`: create (token shown once), list, get, revoke. Admin keys only. */
export function keyRoutes(app: FastifyInstance, ctx: Context): void {
  const base = '/api/v1/auth/keys';

  app.post(base, { schema: { body: keyIn } }, async (request, reply) => {
    requireAdmin(request);
    const body = request.body as { name: string; scopes: string[]; expiresAt?: string | null };
    const scopes = await normalizeScopes(ctx.store, body.scopes);
    let expiresAt: number | null = null;
    if (body.expiresAt) {
      expiresAt = Date.parse(body.expiresAt);
      if (Number.isNaN(expiresAt)) throw invalid('expiresAt must be an ISO 8601 date-time.');
      if (expiresAt <= ctx.now()) throw invalid('expiresAt must be in the future.');
    }
    const { key, token } = await createApiKey(ctx.store, { name: body.name, scopes, expiresAt }, ctx.now());
    return reply.status(201).send({ ...apiKeyOut(key), token });
  });

  app.get(base, async (request) => {
    requireAdmin(request);
    const p = await ctx.store.listApiKeysPage(pageRequest(request.query as Query));
    return { ...p, data: p.data.map(apiKeyOut) };
  });

  const load = async (keyId: string): Promise<ApiKey> => {
    const key = await ctx.store.getApiKey(keyId);
    if (!key) throw notFound('API key');
    return key;
  };

  app.get(`${base}/:key_id`, async (request) => {
    requireAdmin(request);
    return apiKeyOut(await load((request.params as { key_id: string }).key_id));
  });

  const revoke = async (request: any, reply: any) => {
    requireAdmin(request);
    const key = await load((request.params as { key_id: string }).key_id);
    await refuseLastAdmin(ctx.store, key, ctx.now());
    await ctx.store.revokeApiKey(key.id, ctx.now());
    app.forgetApiKeys();
    return reply.status(204).send();
  };
  app.delete(`${base}/:key_id`, revoke);
  app.post(`${base}/:key_id/revoke`, revoke);
}
