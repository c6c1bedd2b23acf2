import type { FastifyInstance } from 'fastify';
import type { Context } from '../../context.js';
import { notFound } from '../../core/errors.js';
import { wants } from '../../core/fanout.js';
import type { Message } from '../../core/types.js';
import { loadApp } from '../access.js';
import { eventStreams, PAGE, type PageReader, startCursor, streamSchema } from '../event-stream.js';
import { messageOut } from '../serialize.js';

/** An endpoint's messages as server-sent events, for `hookway listen` (see event-stream.ts). */
export function streamRoutes(app: FastifyInstance, ctx: Context): void {
  const stream = eventStreams(app);

  app.get(
    '/api/v1/app/:app_id/endpoint/:endpoint_id/stream',
    { schema: streamSchema('Stream the messages of an endpoint (server-sent events), for `hookway listen`') },
    async (request, reply) => {
      const { app_id, endpoint_id } = request.params as { app_id: string; endpoint_id: string };
      const application = await loadApp(ctx, request, app_id);
      const endpoint = await ctx.store.getEndpoint(application.id, endpoint_id);
      if (!endpoint) throw notFound('Endpoint');
      const cursor = await startCursor(request, async () => {
        const newest = await ctx.store.listMessages(application.id, {}, { limit: 1, order: 'desc' });
        return newest.data[0]?.id ?? '';
      });
      const matches = (m: Message) => wants(endpoint, m);
      const read: PageReader = async (iterator) => {
        const page = await ctx.store.listMessages(application.id, {}, { limit: PAGE, iterator, order: 'asc' });
        return {
          done: page.done,
          items: page.data.map((m) => ({
            id: m.id,
            at: m.createdAt,
            data: matches(m) ? JSON.stringify(messageOut(m)) : null,
          })),
        };
      };
      stream(request, reply, read, { endpointId: endpoint.id }, cursor);
    },
  );
}
