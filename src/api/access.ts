import type { FastifyRequest } from 'fastify';
import type { Context } from '../context.js';
import { HookwayError, notFound } from '../core/errors.js';
import type { Application } from '../core/types.js';

/** Who is calling: the API key's id and scopes (`admin`, `app:{app_id}`, `ingest:{source_id}`). */
export interface Principal {
  keyId: string;
  scopes: string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export function principal(request: FastifyRequest): Principal {
  if (!request.principal) throw new HookwayError('unauthorized');
  return request.principal;
}

export function isAdmin(request: FastifyRequest): boolean {
  return principal(request).scopes.includes('admin');
}

export function requireAdmin(request: FastifyRequest): void {
  if (!isAdmin(request)) throw new HookwayError('forbidden', 'This route needs an admin key.');
}

/** The applications a scoped key may see; null means all (admin). */
export function allowedAppIds(request: FastifyRequest): string[] | null {
  const p = principal(request);
  if (p.scopes.includes('admin')) return null;
  return p.scopes.filter((s) => s.startsWith('app:')).map((s) => s.slice(4));
}

/**
 * Loads `{app_id}` (id or uid) and checks the caller may see it. Another
 * tenant's application answers 404, as if it did not exist: a scoped key
 * must not learn which ids are taken.
 */
export async function loadApp(ctx: Context, request: FastifyRequest, idOrUid: string): Promise<Application> {
  const app = await ctx.store.getApp(idOrUid);
  const allowed = allowedAppIds(request);
  if (!app || (allowed !== null && !allowed.includes(app.id))) throw notFound('Application');
  return app;
}
