import type { FastifyError, FastifyInstance } from 'fastify';
import { HookwayError } from '../../core/errors.js';

/**
 * Every failure leaves as `{code, detail}` with a status from the catalogue.
 * Fastify's own errors (bad JSON, body too large, schema validation) are
 * translated here so no route has to think about them.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | HookwayError | Error, request, reply) => {
    const mapped = toHookwayError(err);
    // A database outage is logged once by the store (availability.ts), not once per request.
    if (mapped.status >= 500 && mapped.code !== 'database_unavailable') request.log.error({ err }, 'request failed');
    if (mapped.headers) void reply.headers(mapped.headers);
    return reply.status(mapped.status).send(mapped.toJSON());
  });
  app.setNotFoundHandler((request, reply) => {
    return reply
      .status(404)
      .send({ code: 'not_found', detail: `No route ${request.method} ${request.url.split('?')[0]}.` });
  });
}

export function toHookwayError(err: unknown): HookwayError {
  if (err instanceof HookwayError) return err;
  const e = err as FastifyError & { validationContext?: string };
  if (e.validation) {
    const first = e.validation[0];
    const where = first?.instancePath
      ? `${e.validationContext ?? 'body'}${first.instancePath}`
      : (e.validationContext ?? 'body');
    return new HookwayError('validation', `${where} ${first?.message ?? 'is invalid'}`.trim());
  }
  const status = e.statusCode ?? 500;
  if (status === 413 || e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new HookwayError('payload_too_large');
  if (status === 415 || e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new HookwayError('unsupported_media_type', 'Send JSON with content-type: application/json.');
  }
  if (e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return new HookwayError('invalid_json', 'The JSON body is empty.');
  if (e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || e instanceof SyntaxError) {
    return new HookwayError('invalid_json', `The request body is not valid JSON: ${e.message}`);
  }
  if (status === 431) return new HookwayError('header_too_large');
  if (status === 405) return new HookwayError('method_not_allowed');
  if (status === 429) return new HookwayError('rate_limited');
  if (status >= 400 && status < 500) return new HookwayError('bad_request', e.message);
  return new HookwayError('internal', 'Internal error.', { cause: err });
}
