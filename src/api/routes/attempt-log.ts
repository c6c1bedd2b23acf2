import type { FastifyInstance } from 'fastify';
import type { Context } from '../../context.js';
import type { Attempt, Endpoint } from '../../core/types.js';
import { loadApp, requireAdmin } from '../access.js';
import { pageRequest, type Query, stringParam } from '../params.js';
import { attemptOut } from '../serialize.js';
import { attemptFilter } from './attempts.js';

/**
 * The delivery log: attempts to every endpoint, newest first, like Svix's
 * and Convoy's delivery logs. `GET /api/v1/app/{app_id}/attempt` covers one
 * application; `GET /api/v1/attempt` (admin) every application, or one with
 * `app_id`. Filters: `status` (0 success, 2 fail), `event_types`,
 * `endpoint_id`, `after`/`before`, `channel`. Each row names its endpoint by
 * id, uid and the full URL the attempt went to, and its application.
 */
export function attemptLogRoutes(app: FastifyInstance, ctx: Context): void {
  async function logPage(appId: string | null, q: Query) {
    const endpointParam = stringParam(q, 'endpoint_id');
    let endpointId = endpointParam;
    // An endpoint uid is only unique within its application.
    if (endpointParam && appId) endpointId = (await ctx.store.getEndpoint(appId, endpointParam))?.id ?? endpointParam;
    const p = await ctx.store.listAttempts(appId, { ...attemptFilter(q), endpointId }, pageRequest(q));
    const apps = new Map<string, Promise<{ name: string; uid: string | null } | null>>();
    const endpoints = new Map<string, Promise<Endpoint | null>>();
    const row = async (a: Attempt) => {
      if (!apps.has(a.appId)) apps.set(a.appId, ctx.store.getApp(a.appId));
      if (!endpoints.has(a.endpointId)) endpoints.set(a.endpointId, ctx.store.getEndpoint(a.appId, a.endpointId));
      const [application, ep] = await Promise.all([apps.get(a.appId), endpoints.get(a.endpointId)]);
      return {
        ...attemptOut(a),
        appName: application?.name ?? null,
        appUid: application?.uid ?? null,
        endpointUid: ep?.uid ?? null,
      };
    };
    return { ...p, data: await Promise.all(p.data.map(row)) };
  }

  app.get('/api/v1/app/:app_id/attempt', async (request) => {
    const { app_id } = request.params as { app_id: string };
    const application = await loadApp(ctx, request, app_id);
    return logPage(application.id, request.query as Query);
  });

  app.get('/api/v1/attempt', async (request) => {
    requireAdmin(request);
    const q = request.query as Query;
    const appParam = stringParam(q, 'app_id');
    let appId: string | null = null;
    if (appParam) {
      const application = await ctx.store.getApp(appParam);
      if (!application) return { data: [], iterator: null, prevIterator: null, done: true };
      appId = application.id;
    }
    return logPage(appId, q);
  });
}
