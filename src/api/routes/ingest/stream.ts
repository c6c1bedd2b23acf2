import type { FastifyInstance } from 'fastify';
import { forwardPayload } from '../../../inbound/forward.js';
import { eventStreams, PAGE, type PageReader, startCursor, streamSchema } from '../../event-stream.js';
import { type InboundRoutesCtx, loadSource } from './access.js';

/** A source's events as server-sent events, for `hookway listen --source` (see event-stream.ts). */
export function sourceStreamRoutes(app: FastifyInstance, ctx: InboundRoutesCtx): void {
  const stream = eventStreams(app);
  const { store } = ctx.api;

  app.get(
    '/ingest/api/v1/source/:source_id/stream',
    {
      schema: streamSchema(
        'Stream the events of an inbound source (server-sent events), for `hookway listen --source`',
      ),
    },
    async (request, reply) => {
      const source = await loadSource(ctx, request, 'read');
      const cursor = await startCursor(request, async () => {
        const newest = await store.listInboundEvents(source.id, {}, { limit: 1, order: 'desc' });
        return newest.data[0]?.id ?? '';
      });
      // Every verified event of the source, whether or not an ingest endpoint wants it: the
      // payload is what forwarding would send (the JSON body, or {raw, contentType}).
      const read: PageReader = async (iterator) => {
        const page = await store.listInboundEvents(source.id, {}, { limit: PAGE, iterator, order: 'asc' });
        const items = [];
        for (const e of page.data) {
          const full = await store.getInboundEvent(source.id, e.id);
          const payload = full ? JSON.parse(forwardPayload(full.body, full.contentType)) : {};
          const out = {
            id: e.id,
            eventId: e.providerEventId,
            eventType: e.eventType,
            payload,
            channels: null,
            tags: null,
            timestamp: new Date(e.receivedAt).toISOString(),
          };
          items.push({ id: e.id, at: e.receivedAt, data: JSON.stringify(out) });
        }
        return { done: page.done, items };
      };
      stream(request, reply, read, { sourceId: source.id }, cursor);
    },
  );
}
