import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sseEvent } from '../core/sse.js';

/**
 * `hookway listen`, server side: a server-sent events stream of the messages
 * an endpoint subscribes to (routes/stream.ts) or of a source's events
 * (routes/ingest/stream.ts), in id order, resuming after `?after=` or the
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
/** Items read per poll query. */
export const PAGE = 200;
/** `?after=0`: from the first message. */
const FROM_START = '0';
/** The route schema of a stream: `?after=` and a text/event-stream answer. */
export function streamSchema(summary: string) {
  return {
    summary,
    querystring: {
      type: 'object',
      properties: { after: { type: 'string', maxLength: 256, description: 'Resume after this message id.' } },
    },
    response: { 200: { description: 'text/event-stream of `message` events', type: 'string' } },
  };
}

export type StartStream = (
  request: FastifyRequest,
  reply: FastifyReply,
  read: PageReader,
  ready: Record<string, string>,
  start: string,
) => void;

/** The streams of one route module; the server's close ends them. */
export function eventStreams(app: FastifyInstance): StartStream {
  const open = new Set<() => void>();
  // End open streams first, or close() would wait for clients that never hang up.
  app.addHook('preClose', async () => {
    for (const stop of open) stop();
  });
  return (request, reply, read, ready, start) => stream(request, reply, open, read, ready, start);
}

/** `?after=` or `Last-Event-ID`; `0` means from the first item; neither means from now (the newest id). */
export async function startCursor(request: FastifyRequest, newestId: () => Promise<string>): Promise<string> {
  const { after } = request.query as { after?: string };
  const lastEventId = request.headers['last-event-id'];
  const cursor = after || (typeof lastEventId === 'string' ? lastEventId : '') || null;
  if (cursor === FROM_START) return '';
  if (cursor !== null) return cursor;
  return newestId();
}

/** One page after `iterator`, in id order; `data` null means "skip it" (filtered out). */
export type PageReader = (
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
