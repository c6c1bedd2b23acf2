import type { FastifyInstance } from 'fastify';
import type { Context } from '../../context.js';
import { notFound } from '../../core/errors.js';
import { type PublishInput, publishMessage } from '../../delivery/publish.js';
import type { MessageFilter } from '../../store/port.js';
import { allowedAppIds, loadApp } from '../access.js';
import { boolParam, dateParam, listParam, pageRequest, type Query, stringParam } from '../params.js';
import { messageIn } from '../schemas.js';
import { messageOut, messageWithStatusOut } from '../serialize.js';
import { type ApplicationBody, createApplication } from './applications.js';

export interface MessageBody extends PublishInput {
  application?: ApplicationBody & { name: string };
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

export function messageRoutes(app: FastifyInstance, ctx: Context): void {
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
