import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyPluginCallback, FastifyRequest } from 'fastify';
import { type VerifiedWebhook, type VerifyOptions, verifyWebhookDetailed, WebhookVerificationError } from './verify.js';

/**
 * Framework adapters for receivers. The one rule they all keep: verify the
 * raw bytes, before any JSON parser touches them (a re-serialized body does
 * not match its signature). None of them depends on the framework at run time.
 */
export interface AdapterOptions extends VerifyOptions {
  /** Largest body read, bytes. Default 2 MB (what Hookway sends at most). */
  maxBytes?: number;
}

const DEFAULT_MAX = 2 * 1024 * 1024;

/** Reads a Node request stream to a Buffer (what `express.raw()` does). */
export async function readRawBody(req: IncomingMessage, maxBytes = DEFAULT_MAX): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > maxBytes) throw new WebhookVerificationError('Payload too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

function reject(res: ServerResponse, err: unknown): void {
  const detail = err instanceof Error ? err.message : 'Invalid webhook';
  res.statusCode = err instanceof WebhookVerificationError ? 400 : 500;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ code: 'invalid_signature', detail }));
}

export type NodeWebhookHandler<T> = (
  event: VerifiedWebhook<T>,
  req: IncomingMessage,
  res: ServerResponse,
) => void | Promise<void>;

/** A plain `node:http` request listener: `createServer(nodeWebhook(secret, (event, req, res) => ...))`. */
export function nodeWebhook<T = unknown>(
  secret: string | readonly string[],
  handler: NodeWebhookHandler<T>,
  options: AdapterOptions = {},
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    let event: VerifiedWebhook<T>;
    try {
      const raw = await readRawBody(req, options.maxBytes);
      event = verifyWebhookDetailed<T>(secret, req.headers, raw, options);
    } catch (err) {
      reject(res, err);
      return;
    }
    await handler(event, req, res);
  };
}

/** The parts of an Express request the middleware uses; `body` is a Buffer when express.raw() ran first. */
type ExpressLikeRequest = IncomingMessage & { body?: unknown; webhook?: VerifiedWebhook<unknown> };

/**
 * Express middleware: `app.post('/webhooks', expressWebhook(secret), (req, res) => ...)`.
 * Reads the raw body itself (or uses the Buffer `express.raw()` left), then
 * sets `req.body` to the verified payload and `req.webhook` to `{id, timestamp, payload}`.
 * Mount it before `express.json()` for that route, or not at all behind it.
 */
export function expressWebhook(
  secret: string | readonly string[],
  options: AdapterOptions = {},
): (req: ExpressLikeRequest, res: ServerResponse, next: (err?: unknown) => void) => Promise<void> {
  return async (req, res, next) => {
    try {
      const raw = Buffer.isBuffer(req.body) ? req.body : await readRawBody(req, options.maxBytes);
      const event = verifyWebhookDetailed(secret, req.headers, raw, options);
      req.body = event.payload;
      req.webhook = event;
    } catch (err) {
      reject(res, err);
      return;
    }
    next();
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    webhook?: VerifiedWebhook<unknown>;
  }
}

/**
 * Fastify plugin. Inside the scope it is registered in, JSON bodies are kept
 * raw, verified in a preHandler, and `request.body` becomes the payload:
 *
 *   app.register(async (scope) => {
 *     await scope.register(fastifyWebhook(secret));
 *     scope.post('/webhooks', async (request) => request.webhook);
 *   });
 *
 * The raw-body parser stays in that scope; the rest of the app parses JSON as usual.
 */
export function fastifyWebhook(
  secret: string | readonly string[],
  options: AdapterOptions = {},
): FastifyPluginCallback {
  const plugin: FastifyPluginCallback = (scope: FastifyInstance, _opts, done) => {
    scope.removeContentTypeParser(['application/json']);
    scope.addContentTypeParser(
      ['application/json'],
      { parseAs: 'buffer', bodyLimit: options.maxBytes ?? DEFAULT_MAX },
      (_req, body, parsed) => parsed(null, body),
    );
    scope.addHook('preHandler', async (request: FastifyRequest, reply) => {
      try {
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const event = verifyWebhookDetailed(secret, request.headers as Record<string, string>, raw, options);
        request.body = event.payload;
        request.webhook = event;
      } catch (err) {
        const detail = err instanceof Error ? err.message : 'Invalid webhook';
        return reply.status(400).send({ code: 'invalid_signature', detail });
      }
    });
    done();
  };
  // fastify-plugin's flag: apply to the scope it is registered in, not a child of it.
  (plugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;
  return plugin;
}

/**
 * A Next.js (App Router) route handler, or any fetch-style handler:
 *   export const POST = nextWebhook(secret, async (event) => Response.json({ ok: true }));
 */
export function nextWebhook<T = unknown>(
  secret: string | readonly string[],
  handler: (event: VerifiedWebhook<T>, req: Request) => Response | Promise<Response>,
  options: VerifyOptions = {},
): (req: Request) => Promise<Response> {
  return async (req) => {
    const raw = await req.text();
    let event: VerifiedWebhook<T>;
    try {
      event = verifyWebhookDetailed<T>(secret, req.headers, raw, options);
    } catch (err) {
      const detail = err instanceof Error ? err.message : 'Invalid webhook';
      return Response.json({ code: 'invalid_signature', detail }, { status: 400 });
    }
    return handler(event, req);
  };
}
