import type { Page, PageRequest } from '../../core/types.js';
import type { AuditEntry, AuditFilter } from '../port.js';
import { fromJson, numOrNull, pageLimit, type Row, strOrNull, toPage } from '../rows.js';
import { type Ctx, keyset, lookupKey, Params, pageOrder, where } from './sql.js';

function auditFromRow(r: Row): AuditEntry {
  return {
    id: String(r.id),
    at: Number(r.at),
    keyId: strOrNull(r.key_id),
    method: String(r.method),
    route: String(r.route),
    path: String(r.path),
    status: numOrNull(r.status) ?? 0,
    appId: strOrNull(r.app_id),
    entityId: strOrNull(r.entity_id),
    params: fromJson(r.params, {}),
  };
}

/** The audit log: appended in batches (one statement per batch), read newest first, filtered by key or application. */
export async function recordAudit(ctx: Ctx, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await ctx.db.query(
    `INSERT INTO audit_log (id, at, key_id, method, route, path, status, app_id, entity_id, params)
     SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[],
       $8::text[], $9::text[], $10::text[])`,
    [
      entries.map((e) => e.id),
      entries.map((e) => e.at),
      entries.map((e) => e.keyId),
      entries.map((e) => e.method),
      entries.map((e) => e.route),
      entries.map((e) => e.path),
      entries.map((e) => e.status),
      entries.map((e) => e.appId),
      entries.map((e) => e.entityId),
      entries.map((e) => JSON.stringify(e.params)),
    ],
  );
}

export async function listAudit(ctx: Ctx, filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntry>> {
  const order = pageOrder(page);
  const limit = pageLimit(page);
  const p = new Params();
  const conditions = [
    filter.keyId !== undefined && `key_id = ${p.add(lookupKey(filter.keyId))}`,
    filter.appId !== undefined && `app_id = ${p.add(lookupKey(filter.appId))}`,
  ];
  const { past, tail } = keyset(page, order, 'id', limit, p);
  const { rows } = await ctx.db.query(`SELECT * FROM audit_log ${where([...conditions, past])} ${tail}`, p.values);
  return toPage(rows, page, (r) => String(r.id), auditFromRow);
}
