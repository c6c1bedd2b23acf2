import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HookwayError, notFound } from '../../../core/errors.js';
import type { InboundOutcome } from '../../../core/signals.js';
import { DEFAULT_BODY_LIMIT } from '../../../inbound/source-config.js';
import type { InboundRequest } from '../../../inbound/verify-types.js';
import type { Source } from '../../../store/inbound-port.js';
import type { InboundRoutesCtx } from './access.js';

/**
 * `POST /in/{source_id}` (id or uid): public, no bearer token (the path is in
 * the API's PUBLIC_PREFIXES); the provider's signature is the credential.
 *
 * Signatures cover the exact bytes sent, so this route lives in its own
 * Fastify scope where every content type is read raw into a Buffer, with the
 * source's own body limit: the source is looked up before the body is read
 * (preParsing), a declared Content-Length over the limit is refused at once,
 * and a streamed body is cut off as soon as it passes the limit.
 *
 * Answers: 200 `{success, event_id, event_type}` once stored and queued (plus
 * `duplicate: true` for a delivery seen before), the provider's protocol
 * answer when the verifier asks for one (Discord PING, Slack challenge), 401
 * `invalid_signature` (recorded as a rejection), 404, 413.
 */
declare module 'fastify' {
  interface FastifyRequest {
    inboundSource?: Source;
    inboundOutcome?: InboundOutcome;
  }
}

/** What the answer meant, for `hookway_inbound_events_total` (set by the handler, else read from the status). */
function outcomeOf(request: FastifyRequest, statusCode: number): InboundOutcome {
  if (request.inboundOutcome) return request.inboundOutcome;
  if (statusCode === 413) return 'too_large';
  if (statusCode === 401) return 'rejected';
  return 'error';
}

function tooLarge(limit: number): HookwayError {
  return new HookwayError('payload_too_large', `The body is larger than this source's limit of ${limit} bytes.`);
}

function readBody(request: FastifyRequest, payload: NodeJS.ReadableStream, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err: Error | null, body?: Buffer) => {
      if (done) return;
      done = true;
      payload.removeListener('data', onData);
      if (err) reject(err);
      else resolve(body ?? Buffer.alloc(0));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Stop reading; the error answer closes the connection.
        request.raw.unpipe?.();
        finish(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    payload.on('data', onData);
    payload.on('end', () => finish(null, Buffer.concat(chunks, size)));
    payload.on('error', (err: Error) => finish(err));
  });
}

/** Lower-case header names; a repeated header's values joined with ', '. */
function flatHeaders(request: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export async function receiveRoutes(app: FastifyInstance, ctx: InboundRoutesCtx): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (request: FastifyRequest, payload: IncomingMessage) => {
      const limit = request.inboundSource?.bodyLimit ?? DEFAULT_BODY_LIMIT;
      return readBody(request, payload, limit);
    });

    // Every answer to a known source counts once, whatever path produced it (413s come before the handler).
    scope.addHook('onResponse', async (request, reply) => {
      const source = request.inboundSource;
      if (source) ctx.api.signals.inbound({ sourceId: source.id, outcome: outcomeOf(request, reply.statusCode) });
    });

    scope.post(
      '/in/:source_id',
      {
        // The body may be larger than the API's limit when the source allows it; readBody enforces the source's.
        bodyLimit: Number.MAX_SAFE_INTEGER,
        preParsing: async (request, _reply, payload) => {
          const { source_id } = request.params as { source_id: string };
          const source = await ctx.inbound.source(source_id);
          if (!source) throw notFound('Source');
          request.inboundSource = source;
          const declared = Number(request.headers['content-length'] ?? 0);
          if (declared > source.bodyLimit) throw tooLarge(source.bodyLimit);
          return payload;
        },
      },
      async (request, reply) => {
        const source = request.inboundSource;
        if (!source) throw notFound('Source');
        const req: InboundRequest = {
          headers: flatHeaders(request),
          rawBody: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
          url: `${ctx.api.config.publicUrl}${request.url}`,
        };
        const outcome = await ctx.inbound.receive(source, req);
        request.inboundOutcome =
          outcome.kind === 'stored' ? (outcome.duplicate ? 'duplicate' : 'accepted') : outcome.kind;
        if (outcome.kind === 'rejected') throw new HookwayError('invalid_signature', outcome.reason);
        if (outcome.kind === 'reply') {
          return outcome.body === undefined
            ? reply.status(outcome.status).send()
            : reply.status(outcome.status).send(outcome.body);
        }
        return reply.status(200).send({
          success: true,
          event_id: outcome.id,
          event_type: outcome.eventType,
          ...(outcome.duplicate && { duplicate: true }),
        });
      },
    );
  });
}
