import type { FastifyInstance } from 'fastify';
import type { Context } from '../../context.js';
import { invalid } from '../../core/errors.js';
import { requireAdmin } from '../access.js';
import { iso } from '../serialize.js';
import { loadEndpoint } from './endpoints.js';

/**
 * Svix's transformation routes over the endpoint's `transformation` field.
 * A transformation is code the engine runs, so both routes are admin only,
 * reading included: the code is the operator's, not the application's.
 * Hookway keeps no disabled code: `enabled: false` removes it.
 */
const transformationPatch = {
  type: 'object',
  properties: {
    code: { type: ['string', 'null'], minLength: 1, maxLength: 65_536 },
    enabled: { type: 'boolean' },
    variables: { type: 'null' },
  },
} as const;

export function endpointTransformationRoutes(app: FastifyInstance, ctx: Context): void {
  const path = '/api/v1/app/:app_id/endpoint/:endpoint_id/transformation';

  app.get(path, async (request) => {
    requireAdmin(request);
    const ep = await loadEndpoint(ctx, request);
    return { code: ep.transformation, enabled: ep.transformation !== null, updatedAt: iso(ep.updatedAt) };
  });

  app.patch(path, { schema: { body: transformationPatch } }, async (request, reply) => {
    requireAdmin(request);
    const ep = await loadEndpoint(ctx, request);
    const body = request.body as { code?: string | null; enabled?: boolean };
    let next = body.code !== undefined ? body.code : ep.transformation;
    if (body.enabled === false) next = null;
    if (body.enabled === true && next === null) {
      throw invalid('code is required to enable a transformation (this endpoint has none).');
    }
    if (next !== ep.transformation) await ctx.store.updateEndpoint({ ...ep, transformation: next }, ctx.now());
    return reply.status(204).send();
  });
}
