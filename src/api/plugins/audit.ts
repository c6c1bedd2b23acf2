import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { newId } from '../../core/ids.js';
import type { AuditEntry, Store } from '../../store/port.js';

/**
 * The audit log, generic over routes: every successful (2xx) mutating request
 * (any method but GET, HEAD and OPTIONS) made with an API key is recorded with
 * the key id, the route pattern, its path parameters and the id of the entity
 * it made or touched. New routes are covered without doing anything; a route
 * opts out with `config: { audit: false }`. Publishing messages and receiving
 * inbound webhooks are data, not configuration, and are on the hot path, so
 * they are not audited. Entries are written in batches after the response.
 */

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false keeps this route out of the audit log. */
    audit?: boolean;
  }
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
const NOT_AUDITED = new Set(['POST /api/v1/app/:app_id/msg']);
/** The first `"id":"…"` of a JSON answer: the created entity, without parsing the body again. */
const ANSWER_ID = /"id":"([^"\\]{1,200})"/;

export function shouldAudit(request: FastifyRequest, reply: FastifyReply): boolean {
  if (READS.has(request.method) || !request.principal) return false;
  if (reply.statusCode < 200 || reply.statusCode >= 300) return false;
  const route = request.routeOptions.url;
  if (route === undefined || request.routeOptions.config?.audit === false) return false;
  if (!route.startsWith('/api/') && !route.startsWith('/ingest/api/')) return false;
  return !NOT_AUDITED.has(`${request.method} ${route}`);
}

export function auditEntry(request: FastifyRequest, status: number, payload: unknown, at: number): AuditEntry {
  const params = { ...((request.params ?? {}) as Record<string, string>) };
  const answerId = typeof payload === 'string' && payload.length < 1_000_000 ? ANSWER_ID.exec(payload)?.[1] : undefined;
  const ids = Object.entries(params).filter(([k]) => k.endsWith('_id') || k === 'name');
  const appId = params.app_id ?? (request.routeOptions.url === '/api/v1/app' ? answerId : undefined);
  return {
    id: newId('audit', at),
    at,
    keyId: request.principal?.keyId ?? null,
    method: request.method,
    route: request.routeOptions.url ?? request.url,
    path: (request.url.split('?')[0] ?? '').slice(0, 2000),
    status,
    appId: appId ?? null,
    entityId: answerId ?? ids[ids.length - 1]?.[1] ?? null,
    params,
  };
}

export function registerAudit(app: FastifyInstance, opts: { store: Store; log: Logger; now: () => number }): void {
  let pending: AuditEntry[] = [];
  let flushing: Promise<void> | null = null;

  async function flush(): Promise<void> {
    while (pending.length > 0) {
      const batch = pending;
      pending = [];
      // Application uids become ids, so the log can be filtered by application.
      for (const e of batch) {
        if (e.appId && !e.appId.startsWith('app_')) {
          e.appId = (await opts.store.getApp(e.appId).catch(() => null))?.id ?? e.appId;
        }
      }
      await opts.store.recordAudit(batch).catch((err) => opts.log.error({ err }, 'could not write the audit log'));
    }
  }

  app.addHook('onSend', async (request, reply, payload) => {
    if (!shouldAudit(request, reply)) return payload;
    pending.push(auditEntry(request, reply.statusCode, payload, opts.now()));
    flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(flush).finally(() => {
      flushing = null;
    });
    return payload;
  });

  app.addHook('onClose', async () => {
    await flushing;
    await flush();
  });
}
