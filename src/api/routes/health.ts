import type { FastifyInstance } from 'fastify';
import type { Context } from '../../context.js';
import { HookwayError } from '../../core/errors.js';

/**
 * `GET /api/v1/health`: 204 when the database answers, 503 `database_unavailable`
 * otherwise (load balancers read the status only). A down database is seen
 * within the pool's connect timeout, and a recovered one on the next call.
 */
export function healthRoutes(app: FastifyInstance, ctx: Context): void {
  app.get('/api/v1/health', async (_request, reply) => {
    try {
      await ctx.store.getSetting('health');
    } catch (err) {
      const detail = err instanceof HookwayError ? err.message : 'The database does not answer.';
      return reply.status(503).send({ code: 'database_unavailable', detail });
    }
    return reply.status(204).send();
  });
}
