import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.js';

/** `GET /api/v1/health`: 204 when the database answers, 503 otherwise (load balancers read the status only). */
export function healthRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/api/v1/health', async (_request, reply) => {
    try {
      await ctx.store.getSetting('health');
    } catch {
      return reply.status(503).send({ code: 'unavailable', detail: 'The database does not answer.' });
    }
    return reply.status(204).send();
  });
}
