import type { Span } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import { HookwayError, notFound } from '../../core/errors.js';
import { fanOut } from '../../core/fanout.js';
import { newId } from '../../core/ids.js';
import { checkPayload } from '../../core/payload-schema.js';
import type { Application, Message } from '../../core/types.js';
import { captureTraceContext, inSpan } from '../../delivery/trace.js';
import type { MessageFilter } from '../../store/port.js';
import { type ApiContext, allowedAppIds, loadApp } from '../context.js';
import { boolParam, dateParam, listParam, pageRequest, type Query, stringParam } from '../params.js';
import { messageIn } from '../schemas.js';
import { messageOut, messageWithStatusOut } from '../serialize.js';
import { type ApplicationBody, createApplication } from './applications.js';

export interface MessageBody {
  eventType: string;
  eventId?: string | null;
  payload: Record<string, unknown>;
  channels?: string[] | null;
  tags?: string[] | null;
  application?: ApplicationBody & { name: string };
}

/**
 * Publishes a message: validates it, fans it out to the matching endpoints and
 * commits message and deliveries together. Resolves only after the commit, so
 * the 202 that follows means the message cannot be lost. Used by the API and
 * by inbound sources that forward into an application.
 */
export function publishMessage(ctx: ApiContext, app: Application, body: MessageBody): Promise<Message> {
  return inSpan('message.create', { 'hookway.app.id': app.id, 'hookway.event_type': body.eventType }, (span) =>
    publish(ctx, app, body, span),
  );
}

async function publish(ctx: ApiContext, app: Application, body: MessageBody, span: Span): Promise<Message> {
  const eventType = await ctx.store.getEventType(body.eventType);
  if (eventType?.schemas) {
    const problem = checkPayload(eventType, body.payload);
    if (problem) throw new HookwayError('schema_mismatch', `${problem} (event type ${eventType.name}).`);
  }
  if (body.eventId && (await ctx.store.findMessageByEventId(app.id, body.eventId))) {
    throw new HookwayError('conflict', `A message with eventId "${body.eventId}" already exists.`);
  }
  const now = ctx.now();
  const message: Message = {
    id: newId('msg', now),
    appId: app.id,
    eventType: body.eventType,
    eventId: body.eventId ?? null,
    payload: JSON.stringify(body.payload),
    channels: body.channels ?? null,
    tags: body.tags ?? null,
    createdAt: now,
    // Attempts continue this span's trace, whenever and wherever they run.
    traceContext: captureTraceContext(),
  };
  span.setAttribute('hookway.message.id', message.id);
  const endpoints = await ctx.store.activeEndpoints(app.id);
  const { endpointIds, filterErrors } = await inSpan('message.fan-out', {}, async (fan) => {
    const out = fanOut(endpoints, message);
    fan.setAttributes({
      'hookway.fanout.candidates': endpoints.length,
      'hookway.fanout.endpoints': out.endpointIds.length,
      'hookway.fanout.filter_errors': out.filterErrors.length,
    });
    return out;
  });
  const chosen = new Set(endpointIds);
  const targets = endpoints.filter((e) => chosen.has(e.id));
  await ctx.enqueuer.enqueue({ message, endpointIds, filterErrors }, targets);
  return message;
}

/** The message list filters of Svix's query string (messages, and an endpoint's attempted messages). */
export function messageFilter(q: Query): MessageFilter {
  return {
    eventTypes: listParam(q, 'event_types'),
    channel: stringParam(q, 'channel'),
    tag: stringParam(q, 'tag'),
    before: dateParam(q, 'before'),
    after: dateParam(q, 'after'),
  };
}

export function messageRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.post('/api/v1/app/:app_id/msg', { schema: { body: messageIn } }, async (request, reply) => {
    const { app_id } = request.params as { app_id: string };
    const body = request.body as MessageBody;
    let application = await ctx.store.getApp(app_id);
    if (!application && body.application) {
      // Inline creation: the application is created on first publish (Svix's `application` field).
      if (allowedAppIds(request) !== null) throw notFound('Application');
      const uid = body.application.uid ?? (app_id.startsWith('app_') ? null : app_id);
      ({ app: application } = await createApplication(ctx, { ...body.application, uid }, true));
    } else if (application) {
      // Same checks as loadApp, without reading the application twice on the hot path.
      const allowed = allowedAppIds(request);
      if (allowed !== null && !allowed.includes(application.id)) throw notFound('Application');
    } else {
      throw notFound('Application');
    }
    const message = await publishMessage(ctx, application, body);
    const withContent = boolParam(request.query as Query, 'with_content', true);
    return reply.status(202).send(messageOut(message, withContent, body.payload));
  });

  app.get('/api/v1/app/:app_id/msg', async (request) => {
    const { app_id } = request.params as { app_id: string };
    const application = await loadApp(ctx, request, app_id);
    const q = request.query as Query;
    const withContent = boolParam(q, 'with_content', true);
    const p = await ctx.store.listMessages(application.id, messageFilter(q), pageRequest(q));
    const counts = await ctx.store.messageDeliveryCounts(
      application.id,
      p.data.map((m) => m.id),
    );
    const byMsg = new Map(counts.map((c) => [c.msgId, c]));
    return { ...p, data: p.data.map((m) => messageWithStatusOut(m, withContent, byMsg.get(m.id))) };
  });

  app.get('/api/v1/app/:app_id/msg/:msg_id', async (request) => {
    const { app_id, msg_id } = request.params as { app_id: string; msg_id: string };
    const application = await loadApp(ctx, request, app_id);
    const message = await ctx.store.getMessage(application.id, msg_id);
    if (!message) throw notFound('Message');
    const [counts] = await ctx.store.messageDeliveryCounts(application.id, [message.id]);
    return messageWithStatusOut(message, boolParam(request.query as Query, 'with_content', true), counts);
  });
}
