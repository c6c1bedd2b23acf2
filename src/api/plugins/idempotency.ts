import type { FastifyInstance } from 'fastify';
import { sha256Hex } from '../../core/crypto.js';
import type { Store } from '../../store/port.js';

/**
 * `Idempotency-Key` on every POST: the first 2xx answer is kept (12 h by
 * default, as Svix does) and returned again for the same key, caller and
 * route, so a client retrying after a dropped connection cannot publish
 * twice. Errors are not kept: a retry after a 4xx/5xx runs again.
 */
export function registerIdempotency(app: FastifyInstance, store: Store, ttlMs: number, now: () => number): void {
  app.addHook('preHandler', async (request, reply) => {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || typeof key !== 'string' || key === '') return;
    const scoped = sha256Hex(`${request.principal?.keyId ?? '-'}\n${request.url}\n${key}`);
    (request as { idempotencyKey?: string }).idempotencyKey = scoped;
    const hit = await store.getIdempotent(scoped, now());
    if (hit) {
      return reply
        .status(hit.statusCode)
        .header('content-type', 'application/json; charset=utf-8')
        .header('idempotent-replayed', 'true')
        .send(hit.body === '' ? undefined : hit.body);
    }
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const scoped = (request as { idempotencyKey?: string }).idempotencyKey;
    if (!scoped || reply.getHeader('idempotent-replayed')) return payload;
    if (reply.statusCode >= 200 && reply.statusCode < 300) {
      const body = typeof payload === 'string' ? payload : payload == null ? '' : String(payload);
      await store.saveIdempotent(scoped, { statusCode: reply.statusCode, body }, now() + ttlMs);
    }
    return payload;
  });
}
