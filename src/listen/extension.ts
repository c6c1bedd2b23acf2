import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ApiContext, loadApp, principal } from '../api/context.js';
import { messageOut } from '../api/serialize.js';
import { notFound } from '../core/errors.js';
import { wants } from '../core/fanout.js';
import type { Message } from '../core/types.js';
import { forwardPayload } from '../inbound/forward.js';
import type { Extension } from '../server.js';
import { sseEvent } from './sse.js';

/**
 * `hookway listen`, server side: a server-sent events stream of the messages
 * an endpoint subscribes to, in id order, resuming after `?after=` or the
 * `Last-Event-ID` header (`0`: from the first message; neither: from now). It reads the message list the store already keeps
 * (no table of its own) and polls it every POLL_MS; the poll is one indexed
 * keyset query per open stream.
 *
 * Ids are allocated before commit, so a message can become visible slightly
 * after one with a larger id. The stream therefore re-reads the last
 * SETTLE_MS of messages on every poll and remembers what it already sent in
 * that window; only messages older than the window move the cursor.
 */
const POLL_MS = 250;
const SETTLE_MS = 2_000;
const PING_MS = 15_000;
const PAGE = 200;
/** `?after=0`: from the first message. */
const FROM_START = '0';

export function listenExtension(): Extension {
  return { routes: [listenRoutes] };
}

export function listenRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const open = new Set<() => void>();
  // End open streams first, or close() would wait for clients that never hang up.
  app.addHook('preClose', async () => {
    for (const stop of open) stop();
  });

  app.get(
    '/api/v1/app/:app_id/endpoint/:endpoint_id/stream',
    {
      schema: {
        summary: 'Stream the messages of an endpoint (server-sent events), for `hookway listen`',
        querystring: {
          type: 'object',
          properties: { after: { type: 'string', maxLength: 256, description: 'Resume after this message id.' } },
        },
        response: { 200: { description: 'text/event-stream of `message` events', type: 'string' } },
      },
    },
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
      stream(request, reply, open, read, { endpointId: endpoint.id }, cursor);
    },
  );

  // A source's events: every message of the application its ingest endpoints belong to.
  app.get(
    '/ingest/api/v1/source/:source_id/stream',
    {
      schema: {
        summary: 'Stream the events of an inbound source (server-sent events), for `hookway listen --source`',
        querystring: {
          type: 'object',
          properties: { after: { type: 'string', maxLength: 256, description: 'Resume after this message id.' } },
        },
        response: { 200: { description: 'text/event-stream of `message` events', type: 'string' } },
      },
    },
    async (request, reply) => {
      const { source_id } = request.params as { source_id: string };
      const source = await ctx.store.getSource(source_id);
      const p = principal(request);
      const readable = p.scopes.includes('admin')
        ? null
        : p.scopes.filter((s) => s.startsWith('ingest:')).map((s) => s.slice('ingest:'.length));
      if (!source || (readable !== null && !readable.includes(source.id))) throw notFound('Source');
      const cursor = await startCursor(request, async () => {
        const newest = await ctx.store.listInboundEvents(source.id, {}, { limit: 1, order: 'desc' });
        return newest.data[0]?.id ?? '';
      });
      // Every verified event of the source, whether or not an ingest endpoint wants it: the
      // payload is what forwarding would send (the JSON body, or {raw, contentType}).
      const read: PageReader = async (iterator) => {
        const page = await ctx.store.listInboundEvents(source.id, {}, { limit: PAGE, iterator, order: 'asc' });
        const items = [];
        for (const e of page.data) {
          const full = await ctx.store.getInboundEvent(source.id, e.id);
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
      stream(request, reply, open, read, { sourceId: source.id }, cursor);
    },
  );
}

/** `?after=` or `Last-Event-ID`; `0` means from the first item; neither means from now (the newest id). */
async function startCursor(request: FastifyRequest, newestId: () => Promise<string>): Promise<string> {
  const { after } = request.query as { after?: string };
  const lastEventId = request.headers['last-event-id'];
  const cursor = after || (typeof lastEventId === 'string' ? lastEventId : '') || null;
  if (cursor === FROM_START) return '';
  if (cursor !== null) return cursor;
  return newestId();
}

/** One page after `iterator`, in id order; `data` null means "skip it" (filtered out). */
type PageReader = (
  iterator: string,
) => Promise<{ done: boolean; items: { id: string; at: number; data: string | null }[] }>;

function stream(
  request: FastifyRequest,
  reply: FastifyReply,
  open: Set<() => void>,
  read: PageReader,
  ready: Record<string, string>,
  start: string,
): void {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  // The first event names where the stream starts, so a client that has seen
  // nothing yet can still resume from here after a drop.
  res.write(sseEvent(start || FROM_START, 'ready', JSON.stringify(ready)));

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const ping = setInterval(() => res.write(': ping\n\n'), PING_MS);
  const stop = () => {
    if (stopped) return;
    stopped = true;
    clearTimeout(timer);
    clearInterval(ping);
    open.delete(stop);
    res.end();
  };
  open.add(stop);
  request.raw.on('close', stop);
  res.on('close', stop);

  let settled = start;
  const sent = new Map<string, number>();

  const poll = async () => {
    const horizon = Date.now() - SETTLE_MS;
    let iterator = settled;
    for (;;) {
      const page = await read(iterator);
      for (const item of page.items) {
        if (stopped) return;
        if (!sent.has(item.id) && item.data !== null) res.write(sseEvent(item.id, 'message', item.data));
        sent.set(item.id, item.at);
        if (item.at < horizon && iterator === settled) settled = item.id;
        iterator = item.id;
      }
      if (page.done || page.items.length === 0) break;
    }
    for (const [id, at] of sent) if (at < horizon && id <= settled) sent.delete(id);
  };

  const loop = async () => {
    if (stopped) return;
    try {
      await poll();
    } catch (err) {
      request.log.warn({ err }, 'listen stream poll failed');
    }
    if (!stopped) timer = setTimeout(() => void loop(), POLL_MS);
  };
  void loop();
}
