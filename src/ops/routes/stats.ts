import type { FastifyInstance } from 'fastify';
import { type ApiContext, loadApp, requireAdmin } from '../../api/context.js';
import { dateParam, type Query, stringParam } from '../../api/params.js';
import { loadEndpoint } from '../../api/routes/endpoints.js';
import { statsWindow, windowStats } from '../stats.js';

/**
 * Stats routes. `GET .../endpoint/{id}/stats` answers Svix's EndpointStats
 * ({success, pending, sending, fail, canceled}) plus the window stats of
 * stats.ts; `/api/v1/stats/overview` and `/api/v1/app/{app_id}/stats` answer
 * the window stats, optionally for one event type (`?event_type=`).
 */
export function statsRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/api/v1/stats/overview', async (request) => {
    requireAdmin(request);
    const q = request.query as Query;
    return windowStats(ctx, { eventType: stringParam(q, 'event_type') }, statsWindow(q, ctx.now()), { overview: true });
  });

  app.get('/api/v1/app/:app_id/stats', async (request) => {
    const { app_id } = request.params as { app_id: string };
    const application = await loadApp(ctx, request, app_id);
    const q = request.query as Query;
    return windowStats(
      ctx,
      { appId: application.id, eventType: stringParam(q, 'event_type') },
      statsWindow(q, ctx.now()),
      { overview: false },
    );
  });

  app.get('/api/v1/app/:app_id/endpoint/:endpoint_id/stats', async (request) => {
    const ep = await loadEndpoint(ctx, request);
    const q = request.query as Query;
    const now = ctx.now();
    // Svix: without `since` the counts cover everything (the last 28 days in Svix Cloud); so do we.
    // Svix: without `since`/`until` the counts cover every delivery of the endpoint.
    const counts = await ctx.store.deliveryCounts({
      appId: ep.appId,
      endpointId: ep.id,
      since: dateParam(q, 'since') ?? 0,
      until: (dateParam(q, 'until') ?? now) + 1,
    });
    const extended = await windowStats(
      ctx,
      { appId: ep.appId, endpointId: ep.id, eventType: stringParam(q, 'event_type') },
      statsWindow(q, now),
      { overview: false },
    );
    // Svix's fields win: its `pending` excludes deliveries being sent.
    return {
      ...extended,
      success: counts.succeeded,
      pending: counts.pending,
      sending: counts.sending,
      fail: counts.failed,
      canceled: 0,
    };
  });
}
