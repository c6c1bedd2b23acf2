import type { FastifyInstance } from 'fastify';
import type { Context } from '../../context.js';
import { HookwayError, invalid, notFound } from '../../core/errors.js';
import { fromSvixStatus, type SvixStatus, svixStatus, svixStatusText } from '../../core/svix-status.js';
import type { Attempt, Message } from '../../core/types.js';
import type { AttemptFilter } from '../../store/port.js';
import { loadApp } from '../access.js';
import { boolParam, dateParam, intParam, listParam, pageRequest, type Query, stringParam } from '../params.js';
import { attemptOut, iso, messageOut } from '../serialize.js';
import { loadEndpoint } from './endpoints.js';
import { messageFilter } from './messages.js';

const CODE_CLASSES = [0, 100, 200, 300, 400, 500];

/** The filters attempt lists share (Svix's query parameters). */
export function attemptFilter(q: Query): AttemptFilter {
  const statusCodeClass = intParam(q, 'status_code_class', 0, 599);
  if (statusCodeClass !== undefined && !CODE_CLASSES.includes(statusCodeClass)) {
    throw invalid('status_code_class must be one of 0, 100, 200, 300, 400, 500.');
  }
  const status = intParam(q, 'status', 0, 3) as SvixStatus | undefined;
  return {
    status: status === undefined ? undefined : fromSvixStatus(status, 'attempt'),
    statusCodeClass,
    eventTypes: listParam(q, 'event_types'),
    before: dateParam(q, 'before'),
    after: dateParam(q, 'after'),
    channel: stringParam(q, 'channel'),
    tag: stringParam(q, 'tag'),
  };
}

/**
 * A page of attempts as Svix shapes it: `with_content=false` leaves the
 * response body out, `with_msg=true` adds each attempt's message.
 */
async function attemptsOut(ctx: Context, appId: string, q: Query, attempts: readonly Attempt[]) {
  const withContent = boolParam(q, 'with_content', true);
  const withMsg = boolParam(q, 'with_msg', false);
  const messages = new Map<string, Message | null>();
  if (withMsg) {
    for (const id of new Set(attempts.map((a) => a.msgId))) messages.set(id, await ctx.store.getMessage(appId, id));
  }
  return attempts.map((a) => {
    const out = attemptOut(a);
    const msg = messages.get(a.msgId);
    return {
      ...out,
      ...(!withContent && { response: '' }),
      ...(msg && { msg: messageOut(msg, withContent) }),
    };
  });
}

export function attemptRoutes(app: FastifyInstance, ctx: Context): void {
  app.get('/api/v1/app/:app_id/attempt/endpoint/:endpoint_id', async (request) => {
    const ep = await loadEndpoint(ctx, request);
    const q = request.query as Query;
    const p = await ctx.store.listAttempts(ep.appId, { ...attemptFilter(q), endpointId: ep.id }, pageRequest(q));
    return { ...p, data: await attemptsOut(ctx, ep.appId, q, p.data) };
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
    return { ...p, data: await attemptsOut(ctx, application.id, q, p.data) };
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
        status: svixStatus(d.deliveryState),
        statusText: svixStatusText(d.deliveryState),
        deliveryState: d.deliveryState,
        attempts: d.attempts,
        // Hookway extension: why the endpoint's filter kept the message from it.
        filterError: d.filterError,
        nextAttempt: d.nextAttempt === null ? null : iso(d.nextAttempt),
        createdAt: iso(d.createdAt),
        updatedAt: iso(d.updatedAt),
        version: 1,
      })),
    };
  });

  /** The messages an endpoint was sent (Svix's attempted messages), with each delivery's state. */
  app.get('/api/v1/app/:app_id/endpoint/:endpoint_id/msg', async (request) => {
    const ep = await loadEndpoint(ctx, request);
    const q = request.query as Query;
    const withContent = boolParam(q, 'with_content', true);
    const status = intParam(q, 'status', 0, 3) as SvixStatus | undefined;
    const p = await ctx.store.listEndpointMessages(
      ep.appId,
      ep.id,
      {
        ...messageFilter(q),
        status: status === undefined ? undefined : fromSvixStatus(status, 'delivery'),
      },
      pageRequest(q),
    );
    return {
      ...p,
      data: p.data.map((m) => ({
        ...messageOut(m.message, withContent),
        status: svixStatus(m.status),
        statusText: svixStatusText(m.status),
        nextAttempt: m.nextAttempt === null ? null : iso(m.nextAttempt),
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
    // Only a FIFO endpoint's delivery being sent right now is left as it is (see requeueDelivery).
    if (delivery.status === 'sending') {
      throw new HookwayError(
        'conflict',
        'This message is being sent to this FIFO endpoint; resend it once the attempt is over.',
      );
    }
    if (delivery.status !== 'pending') throw invalid('The delivery could not be queued.');
    ctx.wake();
    // Svix answers `{}`: its clients parse the body of every 2xx but 204.
    return reply.status(202).send({});
  });
}
