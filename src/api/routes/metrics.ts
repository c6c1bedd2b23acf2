import type { FastifyInstance } from 'fastify';
import type { Context } from '../../context.js';
import { sha256Hex } from '../../core/crypto.js';
import { HookwayError } from '../../core/errors.js';
import type { OpsState } from '../../ops/state.js';

/**
 * `GET /metrics` (Prometheus text). It lives outside `/api`, so it checks
 * the admin token itself, unless HOOKWAY_METRICS_PUBLIC=true.
 */
export function metricsRoutes(app: FastifyInstance, ctx: Context, state: OpsState): void {
  app.get('/metrics', async (request, reply) => {
    if (!ctx.config.metricsPublic) {
      const header = request.headers.authorization;
      const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : '';
      const key = token ? await ctx.store.findApiKeyByHash(sha256Hex(token)) : null;
      const now = ctx.now();
      if (!key || key.revokedAt !== null || (key.expiresAt !== null && key.expiresAt <= now)) {
        throw new HookwayError('unauthorized', 'Send Authorization: Bearer <admin token>.');
      }
      if (!key.scopes.includes('admin')) throw new HookwayError('forbidden', '/metrics needs an admin key.');
    }
    const text = await state.metrics.registry.metrics();
    return reply.header('content-type', state.metrics.registry.contentType).send(text);
  });
}
