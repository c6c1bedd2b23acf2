import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HookwayError, invalid } from '../../core/errors.js';
import type { Store } from '../../store/port.js';

/**
 * Scopes an API key may carry: `admin` (everything), `app:{app_id}` (one
 * application, its endpoints, messages and attempts), `ingest:{source_id}`
 * (one source's events). `read-only` narrows any of them to reads; it is what
 * app portal tokens asked for with `readOnly` carry.
 */
export const READ_ONLY = 'read-only';
const ID = /^[A-Za-z0-9_.:-]{1,256}$/;

/** Checks and canonicalises requested scopes: application uids become ids, and the application must exist. */
export async function normalizeScopes(store: Store, scopes: unknown): Promise<string[]> {
  if (!Array.isArray(scopes) || scopes.length === 0) throw invalid('scopes must be a non-empty list.');
  if (scopes.length > 100) throw invalid('scopes has too many entries.');
  const out = new Set<string>();
  for (const scope of scopes) {
    if (typeof scope !== 'string') throw invalid('scopes must be strings.');
    if (scope === 'admin' || scope === READ_ONLY) {
      out.add(scope);
    } else if (scope.startsWith('app:') && ID.test(scope.slice(4))) {
      const app = await store.getApp(scope.slice(4));
      if (!app) throw invalid(`scopes: application "${scope.slice(4, 68)}" does not exist.`);
      out.add(`app:${app.id}`);
    } else if (scope.startsWith('ingest:') && ID.test(scope.slice(7))) {
      out.add(scope);
    } else {
      throw invalid(`scopes: "${scope.slice(0, 64)}" is not admin, read-only, app:{app_id} or ingest:{source_id}.`);
    }
  }
  if (out.size === 1 && out.has(READ_ONLY)) throw invalid('scopes: read-only needs another scope to narrow.');
  return [...out];
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** A read-only token may still end its own session. */
const ALWAYS_ALLOWED = new Set(['/api/v1/auth/logout']);

export function registerReadOnly(app: FastifyInstance): void {
  app.addHook('onRequest', async (request: FastifyRequest) => {
    if (!request.principal?.scopes.includes(READ_ONLY) || READS.has(request.method)) return;
    if (ALWAYS_ALLOWED.has(request.routeOptions.url ?? '')) return;
    throw new HookwayError('forbidden', 'This token is read-only.');
  });
}
