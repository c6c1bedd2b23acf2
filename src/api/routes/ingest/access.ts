import type { FastifyRequest } from 'fastify';
import type { Context } from '../../../context.js';
import { HookwayError, notFound } from '../../../core/errors.js';
import type { InboundService } from '../../../inbound/service.js';
import type { Source } from '../../../store/inbound-port.js';
import { principal } from '../../access.js';

/** What inbound routes are given: the API context and the inbound processor. */
export interface InboundRoutesCtx {
  api: Context;
  inbound: InboundService;
}

/** The sources a key may read: null for admin keys (all), else its `ingest:{source_id}` scopes. */
export function readableSourceIds(request: FastifyRequest): string[] | null {
  const p = principal(request);
  if (p.scopes.includes('admin')) return null;
  return p.scopes.filter((s) => s.startsWith('ingest:')).map((s) => s.slice('ingest:'.length));
}

/**
 * Loads `{source_id}` (id or uid). Admin keys may do anything; a key scoped
 * `ingest:{source_id}` may read that source's events (`access: 'read'`) and
 * is refused changes with 403. Any other key gets 404, as if the source did
 * not exist, so it cannot learn which ids are taken.
 */
export async function loadSource(
  ctx: InboundRoutesCtx,
  request: FastifyRequest,
  access: 'read' | 'write',
): Promise<Source> {
  const { source_id } = request.params as { source_id: string };
  const source = await ctx.api.store.getSource(source_id);
  const readable = readableSourceIds(request);
  if (!source || (readable !== null && !readable.includes(source.id))) throw notFound('Source');
  if (readable !== null && access === 'write') throw new HookwayError('forbidden', 'This route needs an admin key.');
  return source;
}
