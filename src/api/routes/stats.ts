import type { FastifyInstance } from 'fastify';
import type { Context } from '../../context.js';
import { invalid } from '../../core/errors.js';
import { type StatsWindow, windowStats } from '../../ops/stats.js';
import { loadApp, requireAdmin } from '../access.js';
import { dateParam, intParam, type Query, stringParam } from '../params.js';
import { loadEndpoint } from './endpoints.js';

/**
 * Stats routes. `GET .../endpoint/{id}/stats` answers Svix's EndpointStats
 * ({success, pending, sending, fail, canceled}: deliveries by status) plus
 * the window stats of ops/stats.ts, all over one window; `/api/v1/stats/overview`
 * and `/api/v1/app/{app_id}/stats` answer the window stats, optionally for
 * one event type (`?event_type=`).
 */
/** Svix Cloud's endpoint stats cover the last 28 days when no `since` is given. */
const ENDPOINT_DEFAULT_DAYS = 28;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** `?days=1&granularity=hour|day` or `?since=&until=`; `defaultDays` when neither `since` nor `days` is given. */
export function statsWindow(q: Query, now: number, defaultDays = 1): StatsWindow {
  const days = intParam(q, 'days', 1, 366);
  const until = dateParam(q, 'until') ?? now;
  const since = dateParam(q, 'since') ?? until - (days ?? defaultDays) * DAY;
  if (since >= until) throw invalid('since must be before until.');
  const g = stringParam(q, 'granularity') ?? (until - since > 2 * DAY ? 'day' : 'hour');
  if (g !== 'hour' && g !== 'day') throw invalid('granularity must be hour or day.');
  const bucketMs = g === 'hour' ? HOUR : DAY;
  if ((until - since) / bucketMs > 5000) throw invalid('The window has too many points; use granularity=day.');
  return { since, until, bucketMs, granularity: g };
}

export function statsRoutes(app: FastifyInstance, ctx: Context): void {
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
    const stats = await windowStats(
      ctx,
      { appId: ep.appId, endpointId: ep.id, eventType: stringParam(q, 'event_type') },
      statsWindow(q, ctx.now(), ENDPOINT_DEFAULT_DAYS),
      { overview: false },
    );
    // Svix's fields, from the same counts: its `pending` is every delivery waiting for an attempt.
    const d = stats.deliveries;
    return {
      ...stats,
      success: d.succeeded,
      pending: d.pending + d.retrying,
      sending: d.sending,
      fail: d.exhausted,
      canceled: 0,
    };
  });
}
