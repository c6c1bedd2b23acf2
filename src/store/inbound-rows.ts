import type { Cipher } from '../core/cipher.js';
import type { Json } from '../core/types.js';
import type { InboundEvent, InboundStatus, Rejection, Source, SourceInput } from './inbound-port.js';
import { fromJson, num, type Row, strOrNull } from './rows.js';

/**
 * Row <-> domain mapping of the inbound tables, shared by both adapters (the
 * habits of rows.ts). Credential values of a source's config are encrypted
 * one by one, as endpoint secrets are, so the rest of the config stays
 * readable in the database.
 */

/** Config keys whose values are credentials (strings, or lists of strings for rotation). */
export const SECRET_CONFIG_KEYS: readonly string[] = ['secret', 'secrets', 'password', 'key'];

function mapSecrets(config: Record<string, Json>, f: (s: string) => string): Record<string, Json> {
  const out: Record<string, Json> = { ...config };
  for (const k of SECRET_CONFIG_KEYS) {
    const v = out[k];
    if (typeof v === 'string') out[k] = f(v);
    else if (Array.isArray(v)) out[k] = v.map((s) => (typeof s === 'string' ? f(s) : s));
  }
  return out;
}

export const sealConfig = (config: Record<string, Json>, cipher: Cipher): string =>
  JSON.stringify(mapSecrets(config, (s) => cipher.encrypt(s)));

export const openConfig = (v: unknown, cipher: Cipher): Record<string, Json> =>
  mapSecrets(fromJson<Record<string, Json>>(v, {}), (s) => cipher.decrypt(s));

export function sourceToRow(s: SourceInput, cipher: Cipher, now: number): Row {
  return {
    id: s.id,
    uid: s.uid,
    name: s.name,
    type: s.type,
    config: sealConfig(s.config, cipher),
    app_id: s.appId,
    forward_app_id: s.forwardAppId,
    body_limit: s.bodyLimit,
    metadata: JSON.stringify(s.metadata ?? {}),
    created_at: now,
    updated_at: now,
  };
}

export function sourceFromRow(r: Row, cipher: Cipher): Source {
  return {
    id: String(r.id),
    uid: strOrNull(r.uid),
    name: String(r.name),
    type: String(r.type),
    config: openConfig(r.config, cipher),
    appId: String(r.app_id),
    forwardAppId: strOrNull(r.forward_app_id),
    bodyLimit: num(r.body_limit),
    metadata: fromJson(r.metadata, {}),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

export function inboundToRow(e: InboundEvent): Row {
  return {
    id: e.id,
    source_id: e.sourceId,
    dedupe_key: e.dedupeKey,
    event_id: e.providerEventId,
    event_type: e.eventType,
    body: e.body,
    content_type: e.contentType,
    headers: JSON.stringify(e.headers),
    status: e.status,
    error: e.error,
    attempts: e.attempts,
    msg_id: e.msgId,
    forward_msg_id: e.forwardMsgId,
    received_at: e.receivedAt,
    updated_at: e.updatedAt,
  };
}

/** Rows of lists select no body; the event then reads with an empty one. */
export function inboundFromRow(r: Row): InboundEvent {
  const body = r.body;
  return {
    id: String(r.id),
    sourceId: String(r.source_id),
    dedupeKey: String(r.dedupe_key),
    providerEventId: strOrNull(r.event_id),
    eventType: String(r.event_type),
    body: Buffer.isBuffer(body) ? body : body instanceof Uint8Array ? Buffer.from(body) : Buffer.alloc(0),
    contentType: strOrNull(r.content_type),
    headers: fromJson(r.headers, {}),
    status: String(r.status) as InboundStatus,
    error: strOrNull(r.error),
    attempts: num(r.attempts ?? 0),
    msgId: strOrNull(r.msg_id),
    forwardMsgId: strOrNull(r.forward_msg_id),
    receivedAt: num(r.received_at),
    updatedAt: num(r.updated_at),
  };
}

export function rejectionToRow(j: Rejection): Row {
  return {
    id: j.id,
    source_id: j.sourceId,
    reason: j.reason,
    headers: JSON.stringify(j.headers),
    body_excerpt: j.bodyExcerpt,
    received_at: j.receivedAt,
  };
}

export function rejectionFromRow(r: Row): Rejection {
  return {
    id: String(r.id),
    sourceId: String(r.source_id),
    reason: String(r.reason),
    headers: fromJson(r.headers, {}),
    bodyExcerpt: String(r.body_excerpt ?? ''),
    receivedAt: num(r.received_at),
  };
}

/** Stats rows (`k`, `n`) into a record. */
export function countsOf(rows: readonly Row[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) out[String(r.k)] = num(r.n);
  return out;
}

/**
 * The settle statement, the same in both dialects: status and attempts of
 * the event forwarded by one message, recomputed from its deliveries
 * (2 succeeded, 3 failed). `unhandled` and `received` events have no
 * deliveries and are left alone. `p` names each dialect's placeholder for
 * `id`, `error` and `now`.
 */
export function settleSql(p: (name: 'id' | 'error' | 'now') => string): string {
  const mine = 'd.msg_id IN (e.msg_id, e.forward_msg_id)';
  const failed = `EXISTS (SELECT 1 FROM deliveries d WHERE ${mine} AND d.status = 3)`;
  return `UPDATE inbound_events AS e SET
      attempts = (SELECT COALESCE(SUM(d.attempts), 0) FROM deliveries d WHERE ${mine}),
      status = CASE
        WHEN ${failed} THEN 'error'
        WHEN NOT EXISTS (SELECT 1 FROM deliveries d WHERE ${mine} AND d.status <> 2) THEN 'processed'
        ELSE 'forwarded' END,
      error = CASE WHEN ${failed}
        THEN COALESCE(${p('error')}, e.error, 'A delivery failed for good; see its attempts.') ELSE NULL END,
      updated_at = ${p('now')}
    WHERE (e.msg_id = ${p('id')} OR e.forward_msg_id = ${p('id')})
      AND e.status IN ('forwarded', 'processed', 'error')`;
}

/** Every column of inbound_events but the body: lists never read raw bodies (both dialects). */
export const EVENT_COLUMNS = `id, source_id, dedupe_key, event_id, event_type, content_type, headers, status, error,
  attempts, msg_id, forward_msg_id, received_at, updated_at`;
