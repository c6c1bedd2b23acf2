import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Context } from '../../context.js';
import type { Endpoint } from '../../core/types.js';
import type { OpsState } from '../../ops/state.js';

/**
 * Watches the core's endpoint and message routes without changing them:
 * - endpoint.created / updated / deleted operational webhooks, and
 *   endpoint.disabled (trigger `manual`) when an operator disables one;
 *   re-enabling an endpoint clears its failure streak;
 * - a message's `payloadRetentionPeriod` (days) or `payloadRetentionHours`
 *   becomes its payload expiry;
 * - the messages-created counter.
 * (Only admin keys may set a `transformation`: api/plugins/transformations.ts.)
 */
const ENDPOINTS = '/api/v1/app/:app_id/endpoint';
const ENDPOINT = '/api/v1/app/:app_id/endpoint/:endpoint_id';
const MESSAGES = '/api/v1/app/:app_id/msg';
const DAY = 86_400_000;

export function registerOpsHooks(app: FastifyInstance, ctx: Context, state: OpsState): void {
  const before = new WeakMap<FastifyRequest, Endpoint>();
  const route = (r: FastifyRequest) => r.routeOptions.url;

  app.addHook('preHandler', async (request) => {
    const url = route(request);
    if (url !== ENDPOINT && url !== ENDPOINTS) return;
    if (request.method === 'GET' || url !== ENDPOINT) return;
    const { app_id, endpoint_id } = request.params as { app_id: string; endpoint_id: string };
    const application = await ctx.store.getApp(app_id);
    const ep = application ? await ctx.store.getEndpoint(application.id, endpoint_id) : null;
    if (ep) before.set(request, ep);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const url = route(request);
    if (url !== ENDPOINTS && url !== ENDPOINT && url !== MESSAGES) return payload;
    const status = reply.statusCode;
    if (status >= 300) return payload;
    const text = typeof payload === 'string' ? payload : null;
    if (url === MESSAGES && request.method === 'POST' && status === 202 && text) {
      state.metrics.messagesCreated('api');
      await retention(request, text);
    } else if (url !== MESSAGES && request.method !== 'GET') {
      // A re-enabled endpoint's failure streak is cleared before the answer, so a read right after
      // it never shows the endpoint failing; the operational webhooks go out in the background.
      const now = await reEnabled(request);
      if (now) await ctx.store.resetEndpointHealth(now.id, ctx.now());
      void endpointEvent(request, text, now).catch((err) => state.log.error({ err }, 'endpoint event failed'));
    }
    return payload;
  });

  async function retention(request: FastifyRequest, text: string): Promise<void> {
    const body = request.body as { payloadRetentionPeriod?: number | null; payloadRetentionHours?: number | null };
    const ms = body.payloadRetentionHours
      ? body.payloadRetentionHours * 3_600_000
      : body.payloadRetentionPeriod
        ? body.payloadRetentionPeriod * DAY
        : null;
    if (ms === null) return;
    const out = JSON.parse(text) as { id: string; timestamp: string };
    const { app_id } = request.params as { app_id: string };
    const application = await ctx.store.getApp(app_id);
    if (application) await ctx.store.setMessageExpiry(application.id, out.id, Date.parse(out.timestamp) + ms);
  }

  /** The endpoint as it is now, when this request turned a disabled endpoint back on. */
  async function reEnabled(request: FastifyRequest) {
    const prev = before.get(request);
    if (!prev?.disabled || request.method === 'DELETE') return null;
    const now = await ctx.store.getEndpoint(prev.appId, prev.id);
    return now && !now.disabled ? now : null;
  }

  async function endpointEvent(
    request: FastifyRequest,
    text: string | null,
    reEnabledNow: Awaited<ReturnType<typeof reEnabled>>,
  ): Promise<void> {
    const { op } = state;
    if (request.method === 'POST' && text) {
      const out = JSON.parse(text) as { id: string; uid: string | null };
      const application = await ctx.store.getApp((request.params as { app_id: string }).app_id);
      if (application)
        await op.emit('endpoint.created', await op.endpointRef({ id: out.id, uid: out.uid, appId: application.id }));
      return;
    }
    const prev = before.get(request);
    if (!prev) return;
    if (request.method === 'DELETE') {
      await op.emit('endpoint.deleted', await op.endpointRef(prev));
      return;
    }
    const now = reEnabledNow ?? (await ctx.store.getEndpoint(prev.appId, prev.id));
    if (!now) return;
    const ref = await op.endpointRef(now);
    await op.emit('endpoint.updated', ref);
    if (!prev.disabled && now.disabled)
      await op.emit('endpoint.disabled', { ...ref, failSince: null, trigger: 'manual' });
  }
}
