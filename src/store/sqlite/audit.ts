import type { AuditEntry, Store } from '../port.js';
import { fromJson, pageLimit, type Row, toPage } from '../rows.js';
import { type Ctx, pageBound, pageOrder, prepareOrdered } from './db.js';

type AuditOps = Pick<Store, 'recordAudit' | 'listAudit'>;

function auditFromRow(r: Row): AuditEntry {
  return {
    id: String(r.id),
    at: Number(r.at),
    keyId: r.key_id === null ? null : String(r.key_id),
    method: String(r.method),
    route: String(r.route),
    path: String(r.path),
    status: Number(r.status),
    appId: r.app_id === null ? null : String(r.app_id),
    entityId: r.entity_id === null ? null : String(r.entity_id),
    params: fromJson(r.params, {}),
  };
}

/** The audit log: appended in batches, read newest first, filtered by key or application. */
export function auditOps(ctx: Ctx): AuditOps {
  const insert = ctx.prepare(`INSERT INTO audit_log
    (id, at, key_id, method, route, path, status, app_id, entity_id, params)
    VALUES (@id, @at, @key_id, @method, @route, @path, @status, @app_id, @entity_id, @params)`);
  const insertAll = ctx.db.transaction((entries: AuditEntry[]) => {
    for (const e of entries) {
      insert().run({
        id: e.id,
        at: e.at,
        key_id: e.keyId,
        method: e.method,
        route: e.route,
        path: e.path,
        status: e.status,
        app_id: e.appId,
        entity_id: e.entityId,
        params: JSON.stringify(e.params),
      });
    }
  });
  // Unset filters bind null and match everything, so one statement per direction serves all.
  const list = prepareOrdered(
    ctx,
    (dir, past) => `SELECT * FROM audit_log WHERE id ${past} @bound
      AND (@key_id IS NULL OR key_id = @key_id) AND (@app_id IS NULL OR app_id = @app_id)
      ORDER BY id ${dir} LIMIT @limit`,
  );

  return {
    async recordAudit(entries) {
      if (entries.length > 0) insertAll(entries);
    },

    async listAudit(filter, page) {
      const order = pageOrder(page);
      const limit = pageLimit(page);
      const rows = list(order).all({
        bound: pageBound(page, order),
        key_id: filter.keyId ?? null,
        app_id: filter.appId ?? null,
        limit: limit + 1,
      });
      return toPage(rows, page, (r) => String(r.id), auditFromRow);
    },
  };
}
