import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ApiContext, loadApp } from '../api/context.js';
import { messageOut } from '../api/serialize.js';
import { notFound } from '../core/errors.js';
import { matchesChannels, matchesEventType } from '../core/matching.js';
import type { Endpoint, Message } from '../core/types.js';
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
      const { after } = request.query as { after?: string };
      const lastEventId = request.headers['last-event-id'];
      let cursor = after || (typeof lastEventId === 'string' ? lastEventId : '') || null;
      if (cursor === FROM_START) cursor = '';
      else if (cursor === null) {
        // A new listener starts at "now": only messages from here on.
        const newest = await ctx.store.listMessages(application.id, {}, { limit: 1, order: 'desc' });
        cursor = newest.data[0]?.id ?? '';
      }
      stream(ctx, request, reply, open, application.id, endpoint, cursor);
    },
  );
}

function stream(
  ctx: ApiContext,
  request: FastifyRequest,
  reply: FastifyReply,
  open: Set<() => void>,
  appId: string,
  endpoint: Endpoint,
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
  res.write(sseEvent(start || FROM_START, 'ready', JSON.stringify({ endpointId: endpoint.id })));

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

  const matches = (m: Message) =>
    matchesEventType(endpoint.filterTypes, m.eventType) && matchesChannels(endpoint.channels, m.channels);
  let settled = start;
  const sent = new Map<string, number>();

  const poll = async () => {
    const horizon = ctx.now() - SETTLE_MS;
    let iterator = settled;
    for (;;) {
      const page = await ctx.store.listMessages(appId, {}, { limit: PAGE, iterator, order: 'asc' });
      for (const m of page.data) {
        if (stopped) return;
        if (!sent.has(m.id) && matches(m)) {
          res.write(sseEvent(m.id, 'message', JSON.stringify(messageOut(m))));
        }
        sent.set(m.id, m.createdAt);
        if (m.createdAt < horizon && iterator === settled) settled = m.id;
        iterator = m.id;
      }
      if (page.done || page.data.length === 0) break;
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
