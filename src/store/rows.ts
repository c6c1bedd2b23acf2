import type { Cipher } from '../core/cipher.js';
import { joinCredential, splitCredential } from '../core/destination-url.js';
import { normalizeFormat } from '../core/formats.js';
import type {
  Application,
  Attempt,
  Delivery,
  Endpoint,
  EndpointSecret,
  ErrorKind,
  EventType,
  Message,
  Page,
  PageRequest,
  TriggerType,
} from '../core/types.js';
import type { ApiKey, AppInput, AttemptedDestination, EndpointInput, EndpointMessage, EventTypeInput } from './port.js';
import { attemptCode, attemptStatusOf, deliveryStateOf } from './status-codes.js';

/**
 * Row <-> domain mapping shared by both adapters. Rows are keyed by column
 * name (snake_case). Readers are lenient about driver types (SQLite gives 0/1
 * and JSON text; pg may give booleans, numeric strings or parsed JSON), and
 * writers emit only strings, numbers and null: booleans as 0/1, which SQLite
 * needs and PostgreSQL accepts as boolean input.
 */
export type Row = Record<string, unknown>;

export const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
export const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));
export const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
export const bool = (v: unknown): boolean =>
  v === true || v === 1 || v === 1n || v === '1' || v === 't' || v === 'true';
export const bit = (v: boolean): number => (v ? 1 : 0);

export function toJson(v: unknown): string | null {
  return v === null || v === undefined ? null : JSON.stringify(v);
}

/** Parses a JSON column; a driver that already parsed it (jsonb) hands the value through. */
export function fromJson<T>(v: unknown, fallback: T): T {
  if (v === null || v === undefined) return fallback;
  if (typeof v !== 'string') return v as T;
  return JSON.parse(v) as T;
}

// Secrets: the column holds [{key: cipher.encrypt(secret), expiresAt}], never plaintext.

export function sealSecrets(secrets: readonly EndpointSecret[], cipher: Cipher): string {
  return JSON.stringify(secrets.map((s) => ({ key: cipher.encrypt(s.key), expiresAt: s.expiresAt })));
}

export function openSecrets(v: unknown, cipher: Cipher): EndpointSecret[] {
  return fromJson<EndpointSecret[]>(v, []).map((s) => ({ key: cipher.decrypt(s.key), expiresAt: s.expiresAt ?? null }));
}

/** The secrets a sender may sign with at `now`: expired ones dropped, the current (unexpiring) one first. */
export function liveSecrets(secrets: readonly EndpointSecret[], now: number): EndpointSecret[] {
  const live = secrets.filter((s) => s.expiresAt === null || s.expiresAt >= now);
  return [...live.filter((s) => s.expiresAt === null), ...live.filter((s) => s.expiresAt !== null)];
}

// Applications

export function appToRow(app: AppInput, now: number): Row {
  return {
    id: app.id,
    uid: app.uid,
    name: app.name,
    rate_limit: app.rateLimit,
    metadata: JSON.stringify(app.metadata ?? {}),
    created_at: now,
    updated_at: now,
  };
}

export function appFromRow(r: Row): Application {
  return {
    id: String(r.id),
    uid: strOrNull(r.uid),
    name: String(r.name),
    rateLimit: numOrNull(r.rate_limit),
    metadata: fromJson(r.metadata, {}),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

// Event types

export function eventTypeToRow(et: EventTypeInput, now: number): Row {
  return {
    name: et.name,
    description: et.description,
    schemas: toJson(et.schemas),
    archived: bit(et.archived),
    deprecated: bit(et.deprecated),
    feature_flag: et.featureFlag,
    group_name: et.groupName,
    created_at: now,
    updated_at: now,
  };
}

export function eventTypeFromRow(r: Row): EventType {
  return {
    name: String(r.name),
    description: String(r.description ?? ''),
    schemas: fromJson(r.schemas, null),
    archived: bool(r.archived),
    deprecated: bool(r.deprecated),
    featureFlag: strOrNull(r.feature_flag),
    groupName: strOrNull(r.group_name),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

// Endpoints

export function endpointToRow(ep: EndpointInput, cipher: Cipher, now: number): Row {
  // A broker URL's secret is stored apart, encrypted; the url column shows it masked.
  const { masked, secret } = splitCredential(ep.url);
  return {
    id: ep.id,
    app_id: ep.appId,
    uid: ep.uid,
    url: masked,
    credentials: secret === null ? null : cipher.encrypt(secret),
    description: ep.description,
    version: ep.version ?? null,
    filter_types: toJson(ep.filterTypes),
    channels: toJson(ep.channels),
    disabled: bit(ep.disabled),
    rate_limit: ep.rateLimit,
    metadata: JSON.stringify(ep.metadata ?? {}),
    headers: JSON.stringify(ep.headers ?? {}),
    secrets: sealSecrets(ep.secrets, cipher),
    timeout_ms: ep.timeoutMs,
    retry_schedule: toJson(ep.retrySchedule),
    format: ep.format,
    transformation: ep.transformation,
    filter: ep.filter ?? null,
    fifo: bit(ep.fifo ?? false),
    created_at: now,
    updated_at: now,
  };
}

export function endpointFromRow(r: Row, cipher: Cipher): Endpoint {
  return {
    id: String(r.id),
    appId: String(r.app_id),
    uid: strOrNull(r.uid),
    url: joinCredential(String(r.url), r.credentials ? cipher.decrypt(String(r.credentials)) : null),
    description: String(r.description ?? ''),
    version: num(r.version),
    filterTypes: fromJson(r.filter_types, null),
    channels: fromJson(r.channels, null),
    disabled: bool(r.disabled),
    rateLimit: numOrNull(r.rate_limit),
    metadata: fromJson(r.metadata, {}),
    headers: fromJson(r.headers, {}),
    secrets: openSecrets(r.secrets, cipher),
    timeoutMs: numOrNull(r.timeout_ms),
    retrySchedule: fromJson(r.retry_schedule, null),
    format: normalizeFormat(strOrNull(r.format)),
    transformation: strOrNull(r.transformation),
    filter: strOrNull(r.filter),
    fifo: bool(r.fifo),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

// Messages

export function messageToRow(m: Message): Row {
  return {
    id: m.id,
    app_id: m.appId,
    event_type: m.eventType,
    event_id: m.eventId,
    payload: m.payload,
    channels: toJson(m.channels),
    tags: toJson(m.tags),
    created_at: m.createdAt,
    trace_context: m.traceContext ?? null,
  };
}

export function messageFromRow(r: Row): Message {
  return {
    id: String(r.id),
    appId: String(r.app_id),
    eventType: String(r.event_type),
    eventId: strOrNull(r.event_id),
    // The column is nullable so a retention job can drop payloads; an expunged one reads as `{}`.
    payload: r.payload === null || r.payload === undefined ? '{}' : String(r.payload),
    channels: fromJson(r.channels, null),
    tags: fromJson(r.tags, null),
    createdAt: num(r.created_at),
    // Absent rather than null when there is none, so untraced messages read as they were written.
    ...(r.trace_context ? { traceContext: String(r.trace_context) } : {}),
  };
}

// Deliveries

export function deliveryFromRow(r: Row): Delivery {
  return {
    id: String(r.id),
    msgId: String(r.msg_id),
    endpointId: String(r.endpoint_id),
    appId: String(r.app_id),
    status: deliveryStateOf(num(r.status), isRetrying(r)),
    attempts: num(r.attempts),
    nextAttemptAt: num(r.next_attempt_at),
    leaseUntil: numOrNull(r.lease_until),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

// Attempts (event_type is denormalised from the message by the adapter, for filters).

export function attemptToRow(a: Attempt): Row {
  return {
    id: a.id,
    delivery_id: a.deliveryId,
    msg_id: a.msgId,
    endpoint_id: a.endpointId,
    app_id: a.appId,
    url: a.url,
    status: attemptCode(a.status),
    trigger_type: a.triggerType,
    parent_id: a.parentId,
    response_status_code: a.responseStatusCode,
    response_headers: toJson(a.responseHeaders),
    response: a.response,
    response_duration_ms: a.responseDurationMs,
    request_headers: JSON.stringify(a.requestHeaders ?? {}),
    request_body: a.requestBody,
    error_kind: a.errorKind,
    error_detail: a.errorDetail,
    created_at: a.createdAt,
  };
}

export function attemptFromRow(r: Row): Attempt {
  return {
    id: String(r.id),
    deliveryId: String(r.delivery_id),
    msgId: String(r.msg_id),
    endpointId: String(r.endpoint_id),
    appId: String(r.app_id),
    url: String(r.url),
    status: attemptStatusOf(num(r.status)),
    triggerType: num(r.trigger_type) as TriggerType,
    parentId: strOrNull(r.parent_id),
    responseStatusCode: num(r.response_status_code),
    responseHeaders: fromJson(r.response_headers, null),
    response: String(r.response),
    responseDurationMs: num(r.response_duration_ms),
    requestHeaders: fromJson(r.request_headers, {}),
    requestBody: strOrNull(r.request_body),
    errorKind: strOrNull(r.error_kind) as ErrorKind | null,
    errorDetail: strOrNull(r.error_detail),
    createdAt: num(r.created_at),
    ...(typeof r.event_type === 'string' && { eventType: r.event_type }),
  };
}

/**
 * A delivery row waiting again after a failed attempt of its schedule (a
 * manual resend is just pending); the same rule as `retryingSql` (ops-rows.ts).
 */
function isRetrying(r: Row): boolean {
  return num(r.status) === 0 && num(r.attempts) > 0 && num(r.trigger_type ?? 0) === 0;
}

/** A messages row with the delivery's `delivery_status` and `next_attempt_at` joined on. */
export function endpointMessageFromRow(r: Row): EndpointMessage {
  const status = deliveryStateOf(num(r.delivery_status));
  return {
    message: messageFromRow(r),
    status,
    nextAttempt: status === 'pending' ? num(r.next_attempt_at) : null,
  };
}

/**
 * A row of deliveries joined with endpoints, with columns endpoint_id, url, disabled,
 * description, uid, channels, created_at, updated_at (the endpoint's) and status,
 * attempts, next_attempt_at, trigger_type (the delivery's), and filter_error (set on
 * rows of endpoints a filter error kept from the message).
 */
export function destinationFromRow(r: Row): AttemptedDestination {
  const filterError = strOrNull(r.filter_error);
  const state = filterError !== null ? 'filtered' : deliveryStateOf(num(r.status), isRetrying(r));
  return {
    endpointId: String(r.endpoint_id),
    url: String(r.url),
    filterError,
    nextAttempt: state === 'pending' ? num(r.next_attempt_at) : null,
    attempts: num(r.attempts),
    deliveryState: state,
    disabled: bool(r.disabled),
    description: String(r.description ?? ''),
    uid: strOrNull(r.uid),
    channels: fromJson(r.channels, null),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

// API keys

export function apiKeyToRow(k: ApiKey): Row {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    hash: k.hash,
    scopes: JSON.stringify(k.scopes),
    created_at: k.createdAt,
    last_used_at: k.lastUsedAt,
    expires_at: k.expiresAt,
    revoked_at: k.revokedAt,
  };
}

export function apiKeyFromRow(r: Row): ApiKey {
  return {
    id: String(r.id),
    name: String(r.name),
    prefix: String(r.prefix),
    hash: String(r.hash),
    scopes: fromJson(r.scopes, []),
    createdAt: num(r.created_at),
    lastUsedAt: numOrNull(r.last_used_at),
    expiresAt: numOrNull(r.expires_at),
    revokedAt: numOrNull(r.revoked_at),
  };
}

// Pagination: keyset on a sortable key (ids sort by creation time). Adapters
// fetch `limit + 1` rows past the iterator; the extra row only tells `done`.
// A prev page (`page.prev`) is fetched in the opposite order (pageOrder flips
// it) from the same bound, then turned around here, so it reads like the
// forward page it precedes.

/** Svix's marker of a prev iterator: `-` + the first key of the page after. */
export const PREV_MARK = '-';

/** A limit that is always a usable positive integer, whatever the caller passed. */
export function pageLimit(page: PageRequest): number {
  const n = Math.floor(page.limit);
  return Number.isFinite(n) && n >= 1 ? n : 1;
}

/** The order rows are fetched in: the list's order, or its opposite when walking back. */
export function fetchOrder(page: PageRequest, fallback: 'asc' | 'desc'): 'asc' | 'desc' {
  const order = page.order ?? fallback;
  if (!page.prev) return order;
  return order === 'asc' ? 'desc' : 'asc';
}

export function toPage<R, T>(
  rows: readonly R[],
  page: PageRequest,
  keyOf: (row: R) => string,
  map: (row: R) => T,
): Page<T> {
  const limit = pageLimit(page);
  const kept = rows.slice(0, limit);
  if (page.prev) kept.reverse();
  const first = kept[0];
  const last = kept[kept.length - 1];
  return {
    data: kept.map(map),
    iterator: last === undefined ? null : keyOf(last),
    prevIterator: first === undefined ? null : PREV_MARK + keyOf(first),
    done: rows.length <= limit,
  };
}
