import type { FastifyInstance } from 'fastify';
import type { Context } from '../../context.js';
import type { AuditEntry } from '../../store/port.js';
import { requireAdmin } from '../access.js';
import { pageRequest, type Query, stringParam } from '../params.js';
import { iso } from '../serialize.js';

function auditOut(e: AuditEntry): Record<string, unknown> {
  return {
    id: e.id,
    at: iso(e.at),
    keyId: e.keyId,
    method: e.method,
    route: e.route,
    path: e.path,
    status: e.status,
    appId: e.appId,
    entityId: e.entityId,
    params: e.params,
  };
}

/** `GET /api/v1/audit`: who changed what and when, newest first; admin keys only. */
export function auditRoutes(app: FastifyInstance, ctx: Context): void {
  app.get('/api/v1/audit', async (request) => {
    requireAdmin(request);
    const q = request.query as Query;
    const p = await ctx.store.listAudit(
      { keyId: stringParam(q, 'key_id'), appId: stringParam(q, 'app_id') },
      pageRequest(q),
    );
    return { ...p, data: p.data.map(auditOut) };
  });
}
