import type { FastifyInstance } from 'fastify';
import { HookwayError } from '../../core/errors.js';

/**
 * Only admin keys may set an endpoint transformation: it is code the engine
 * runs (node:vm is no security boundary, see delivery/transform.ts). Checked
 * here for every route at once, so a route added later that stores an
 * endpoint body (application, ingest or operational endpoints) cannot forget
 * it; the transformation routes themselves are admin only as a whole.
 */
export function registerTransformationGuard(app: FastifyInstance): void {
  app.addHook('preHandler', async (request) => {
    if (request.method === 'GET' || request.method === 'HEAD') return;
    const who = request.principal;
    if (!who || who.scopes.includes('admin')) return;
    const body = request.body as { transformation?: unknown } | undefined;
    if (
      body !== null &&
      typeof body === 'object' &&
      !Buffer.isBuffer(body) &&
      typeof body.transformation === 'string'
    ) {
      throw new HookwayError('forbidden', 'Only admin keys may set an endpoint transformation.');
    }
  });
}
