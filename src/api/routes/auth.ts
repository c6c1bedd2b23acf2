import type { FastifyInstance } from 'fastify';
import type { Context } from '../../context.js';
import { HookwayError, notFound } from '../../core/errors.js';
import type { Application } from '../../core/types.js';
import { createApiKey } from '../../keys.js';
import { loadApp, principal, requireAdmin } from '../access.js';
import { READ_ONLY } from '../plugins/scopes.js';
import { applicationIn } from '../schemas.js';
import { type ApplicationBody, createApplication } from './applications.js';
import { refuseLastAdmin } from './keys.js';

/** Portal tokens of one application share this name, so `expire-all` finds them. */
export const portalKeyName = (appId: string): string => `app-portal:${appId}`;

const MAX_EXPIRY_S = 365 * 24 * 3600;

const portalAccessIn = {
  type: ['object', 'null'],
  properties: {
    application: applicationIn,
    expiry: { type: ['integer', 'null'], minimum: 1, maximum: MAX_EXPIRY_S },
    featureFlags: { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 256 } },
    readOnly: { type: ['boolean', 'null'] },
    sessionId: { type: ['string', 'null'], maxLength: 256 },
  },
} as const;

const expireAllIn = {
  type: ['object', 'null'],
  properties: {
    expiry: { type: ['integer', 'null'], minimum: 0, maximum: MAX_EXPIRY_S },
    sessionIds: { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 256 } },
  },
} as const;

/**
 * Svix's authentication routes: app portal tokens (short-lived keys scoped to
 * one application, with a link to the dashboard), expire-all, logout, and
 * Hookway's whoami, which the dashboard reads to choose admin or portal mode.
 */
export function authRoutes(app: FastifyInstance, ctx: Context): void {
  app.post('/api/v1/auth/app-portal-access/:app_id', { schema: { body: portalAccessIn } }, async (request) => {
    requireAdmin(request);
    const { app_id } = request.params as { app_id: string };
    const body = (request.body ?? {}) as {
      application?: ApplicationBody & { name: string };
      expiry?: number | null;
      readOnly?: boolean | null;
    };
    let application: Application | null = await ctx.store.getApp(app_id);
    if (!application && body.application) {
      const uid = body.application.uid ?? (app_id.startsWith('app_') ? null : app_id);
      ({ app: application } = await createApplication(ctx, { ...body.application, uid }, true));
    }
    if (!application) application = await loadApp(ctx, request, app_id);
    const now = ctx.now();
    const { token } = await createApiKey(
      ctx.store,
      {
        name: portalKeyName(application.id),
        scopes: [`app:${application.id}`, ...(body.readOnly ? [READ_ONLY] : [])],
        expiresAt: now + (body.expiry ?? ctx.config.portalTokenTtlSeconds) * 1000,
      },
      now,
    );
    const link = new URLSearchParams({ token, app: application.id });
    return { url: `${ctx.config.publicUrl}/#/portal?${link.toString()}`, token };
  });

  app.post('/api/v1/auth/app/:app_id/expire-all', { schema: { body: expireAllIn } }, async (request, reply) => {
    requireAdmin(request);
    const { app_id } = request.params as { app_id: string };
    const application = await loadApp(ctx, request, app_id);
    const expiry = (request.body as { expiry?: number | null } | null)?.expiry ?? 0;
    await ctx.store.expireApiKeysByName(portalKeyName(application.id), ctx.now() + expiry * 1000);
    app.forgetApiKeys();
    return reply.status(204).send();
  });

  app.post('/api/v1/auth/logout', async (request, reply) => {
    const key = await ctx.store.getApiKey(principal(request).keyId);
    if (!key) throw notFound('API key');
    await refuseLastAdmin(ctx.store, key, ctx.now());
    await ctx.store.revokeApiKey(key.id, ctx.now());
    app.forgetApiKeys();
    return reply.status(204).send();
  });

  app.get('/api/v1/auth/whoami', async (request) => {
    const p = principal(request);
    const key = await ctx.store.getApiKey(p.keyId);
    if (!key) throw new HookwayError('unauthorized');
    return {
      keyId: key.id,
      name: key.name,
      scopes: key.scopes,
      appId: key.scopes.find((s) => s.startsWith('app:'))?.slice(4) ?? null,
      readOnly: key.scopes.includes(READ_ONLY),
      expiresAt: key.expiresAt === null ? null : new Date(key.expiresAt).toISOString(),
    };
  });
}
