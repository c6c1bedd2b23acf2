import type { FastifyInstance } from 'fastify';
import { invalid, notFound } from '../../core/errors.js';
import { type AttemptStatus, DeliveryStatus } from '../../core/types.js';
import type { AttemptFilter } from '../../store/port.js';
import { type ApiContext, loadApp } from '../context.js';
import { dateParam, intParam, listParam, pageRequest, type Query, stringParam } from '../params.js';
import { attemptOut, iso } from '../serialize.js';
import { loadEndpoint } from './endpoints.js';

function attemptFilter(q: Query): AttemptFilter {
  return {
    status: intParam(q, 'status', 0, 3) as AttemptStatus | undefined,
    eventTypes: listParam(q, 'event_types'),
    before: dateParam(q, 'before'),
    after: dateParam(q, 'after'),
    channel: stringParam(q, 'channel'),
  };
}

export function attemptRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/api/v1/app/:app_id/attempt/endpoint/:endpoint_id', async (request) => {
    const ep = await loadEndpoint(ctx, request);
    const q = request.query as Query;
    const p = await ctx.store.listAttempts(ep.appId, { ...attemptFilter(q), endpointId: ep.id }, pageRequest(q));
    return { ...p, data: p.data.map((a) => attemptOut(a)) };
  });

  app.get('/api/v1/app/:app_id/attempt/msg/:msg_id', async (request) => {
    const { app_id, msg_id } = request.params as { app_id: string; msg_id: string };
    const application = await loadApp(ctx, request, app_id);
    const message = await ctx.store.getMessage(application.id, msg_id);
    if (!message) throw notFound('Message');
    const q = request.query as Query;
    const endpointId = stringParam(q, 'endpoint_id');
    const p = await ctx.store.listAttempts(
      application.id,
      { ...attemptFilter(q), msgId: message.id, endpointId },
      pageRequest(q),
    );
    return { ...p, data: p.data.map((a) => attemptOut(a)) };
  });

  app.get('/api/v1/app/:app_id/msg/:msg_id/attempt/:attempt_id', async (request) => {
    const { app_id, msg_id, attempt_id } = request.params as { app_id: string; msg_id: string; attempt_id: string };
    const application = await loadApp(ctx, request, app_id);
    const attempt = await ctx.store.getAttempt(application.id, attempt_id);
    if (
      !attempt ||
      (attempt.msgId !== msg_id && (await ctx.store.getMessage(application.id, msg_id))?.id !== attempt.msgId)
    ) {
      throw notFound('Attempt');
    }
    return attemptOut(attempt, true);
  });

  app.get('/api/v1/app/:app_id/msg/:msg_id/endpoint', async (request) => {
    const { app_id, msg_id } = request.params as { app_id: string; msg_id: string };
    const application = await loadApp(ctx, request, app_id);
    const message = await ctx.store.getMessage(application.id, msg_id);
    if (!message) throw notFound('Message');
    const p = await ctx.store.listAttemptedDestinations(
      application.id,
      message.id,
      pageRequest(request.query as Query),
    );
    return {
      ...p,
      data: p.data.map((d) => ({
        id: d.endpointId,
        uid: d.uid,
        url: d.url,
        description: d.description,
        channels: d.channels,
        disabled: d.disabled,
        status: d.status,
        statusText: d.filterError !== null ? 'filtered' : ['success', 'pending', 'fail', 'sending'][d.status],
        // Hookway extension: why the endpoint's filter kept the message from it.
        filterError: d.filterError,
        nextAttempt: d.nextAttempt === null ? null : iso(d.nextAttempt),
        createdAt: iso(d.createdAt),
        updatedAt: iso(d.updatedAt),
        version: 1,
      })),
    };
  });

  /** Resend: one more attempt, manual, linked to the last attempt of that delivery. */
  app.post('/api/v1/app/:app_id/msg/:msg_id/endpoint/:endpoint_id/resend', async (request, reply) => {
    const { msg_id } = request.params as { msg_id: string };
    const ep = await loadEndpoint(ctx, request);
    const message = await ctx.store.getMessage(ep.appId, msg_id);
    if (!message) throw notFound('Message');
    const last = await ctx.store.listAttempts(ep.appId, { msgId: message.id, endpointId: ep.id }, { limit: 1 });
    const delivery = await ctx.store.requeueDelivery(ep.appId, message.id, ep.id, ctx.now(), last.data[0]?.id ?? null);
    if (delivery.status !== DeliveryStatus.pending) throw invalid('The delivery could not be queued.');
    ctx.wake();
    return reply.status(202).send();
  });
}
