import type { FastifyInstance } from 'fastify';
import type { Context } from '../../context.js';
import { HookwayError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { Application } from '../../core/types.js';
import type { AppInput } from '../../store/port.js';
import { allowedAppIds, loadApp, requireAdmin } from '../access.js';
import { boolParam, pageRequest, type Query } from '../params.js';
import { applicationIn, applicationPatch } from '../schemas.js';
import { appOut, internalKind } from '../serialize.js';

export interface ApplicationBody {
  name?: string;
  uid?: string | null;
  rateLimit?: number | null;
  throttleRate?: number | null;
  metadata?: Record<string, string>;
}

/** Creates an application, or returns the existing one with that uid when `getIfExists`. */
export async function createApplication(
  ctx: Context,
  body: ApplicationBody & { name: string },
  getIfExists: boolean,
): Promise<{ app: Application; created: boolean }> {
  if (body.uid) {
    const existing = await ctx.store.getApp(body.uid);
    if (existing) {
      if (getIfExists) return { app: existing, created: false };
      throw new HookwayError('conflict', `An application with uid "${body.uid}" already exists.`);
    }
  }
  const input: AppInput = {
    id: newId('app'),
    uid: body.uid ?? null,
    name: body.name,
    rateLimit: body.rateLimit ?? body.throttleRate ?? null,
    metadata: body.metadata ?? {},
  };
  return { app: await ctx.store.createApp(input, ctx.now()), created: true };
}

export function applicationRoutes(app: FastifyInstance, ctx: Context): void {
  app.get('/api/v1/app', async (request) => {
    const allowed = allowedAppIds(request);
    if (allowed !== null) {
      // A scoped key lists only its own applications.
      const apps = (await Promise.all(allowed.map((id) => ctx.store.getApp(id)))).filter((a) => a !== null);
      return { data: apps.map(appOut), iterator: null, prevIterator: null, done: true };
    }
    const q = request.query as Query;
    const p = await ctx.store.listApps(pageRequest(q));
    // Hookway's own applications (operational webhooks, inbound sources) are labelled; `exclude_internal` drops them.
    const data = boolParam(q, 'exclude_internal', false) ? p.data.filter((a) => internalKind(a) === null) : p.data;
    return { ...p, data: data.map(appOut) };
  });

  app.post('/api/v1/app', { schema: { body: applicationIn } }, async (request, reply) => {
    requireAdmin(request);
    const getIfExists = boolParam(request.query as Query, 'get_if_exists', false);
    const { app: created, created: isNew } = await createApplication(
      ctx,
      request.body as ApplicationBody & { name: string },
      getIfExists,
    );
    return reply.status(isNew ? 201 : 200).send(appOut(created));
  });

  app.get('/api/v1/app/:app_id', async (request) => {
    const { app_id } = request.params as { app_id: string };
    return appOut(await loadApp(ctx, request, app_id));
  });

  const update = (partial: boolean) => async (request: any) => {
    const { app_id } = request.params as { app_id: string };
    const current = await loadApp(ctx, request, app_id);
    const body = request.body as ApplicationBody;
    if (body.uid && body.uid !== current.uid) {
      const other = await ctx.store.getApp(body.uid);
      if (other && other.id !== current.id) throw new HookwayError('conflict', `uid "${body.uid}" is taken.`);
    }
    const next: AppInput = partial
      ? {
          ...current,
          ...(body.name !== undefined && { name: body.name }),
          ...(body.uid !== undefined && { uid: body.uid }),
          ...(body.rateLimit !== undefined && { rateLimit: body.rateLimit }),
          ...(body.metadata !== undefined && { metadata: body.metadata }),
        }
      : {
          id: current.id,
          name: body.name ?? current.name,
          uid: body.uid ?? null,
          rateLimit: body.rateLimit ?? body.throttleRate ?? null,
          metadata: body.metadata ?? {},
        };
    return appOut(await ctx.store.updateApp(next, ctx.now()));
  };
  app.put('/api/v1/app/:app_id', { schema: { body: applicationIn } }, update(false));
  app.patch('/api/v1/app/:app_id', { schema: { body: applicationPatch } }, update(true));

  app.delete('/api/v1/app/:app_id', async (request, reply) => {
    requireAdmin(request);
    const { app_id } = request.params as { app_id: string };
    const current = await loadApp(ctx, request, app_id);
    await ctx.store.deleteApp(current.id);
    return reply.status(204).send();
  });
}
