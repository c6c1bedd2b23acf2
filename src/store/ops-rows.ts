import { idFloorAt } from '../core/ids.js';
import type {
  AttemptCounts,
  DeliveryCounts,
  EndpointHealth,
  FailingEndpoint,
  InboundEventRow,
  MessageDeliveryCounts,
  SeriesPoint,
  StatsScope,
  Task,
  TaskKind,
  TaskStatus,
} from './ops-port.js';
import { bool, fromJson, num, numOrNull, type Row, strOrNull } from './rows.js';
import { attemptStatusOf, deliveryStateOf } from './status-codes.js';

/** Row <-> domain mapping of the operations tables, shared by both adapters (see rows.ts). */

export function taskToRow(t: Task): Row {
  return {
    id: t.id,
    kind: t.kind,
    status: t.status,
    app_id: t.appId,
    endpoint_id: t.endpointId,
    params: JSON.stringify(t.params),
    total: t.total,
    done: t.done,
    failed: t.failed,
    cursor: t.cursor,
    error: t.error,
    owner: t.owner,
    heartbeat_at: t.heartbeatAt,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
  };
}

export function taskFromRow(r: Row): Task {
  return {
    id: String(r.id),
    kind: String(r.kind) as TaskKind,
    status: String(r.status) as TaskStatus,
    appId: String(r.app_id),
    endpointId: String(r.endpoint_id),
    params: fromJson(r.params, { since: 0, until: null }),
    total: num(r.total),
    done: num(r.done),
    failed: num(r.failed),
    cursor: strOrNull(r.cursor),
    error: strOrNull(r.error),
    owner: strOrNull(r.owner),
    heartbeatAt: num(r.heartbeat_at),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

export function healthFromRow(r: Row): EndpointHealth {
  return {
    endpointId: String(r.id),
    appId: String(r.app_id),
    disabled: bool(r.disabled),
    failingSince: numOrNull(r.failing_since),
    consecutiveFailures: num(r.consecutive_failures),
    consecutiveExhausted: num(r.consecutive_exhausted),
    lastSuccessAt: numOrNull(r.last_success_at),
    lastFailureAt: numOrNull(r.last_failure_at),
  };
}

/**
 * Failing: enabled, and the last attempt failed (the streak counts failed
 * attempts and is cleared by a success) or a message was exhausted since the
 * last success.
 */
export const FAILING_WHERE = '(failing_since IS NOT NULL OR consecutive_failures > 0) AND NOT disabled';
export const FAILING_COLUMNS = 'app_id, id, uid, url, failing_since, consecutive_failures, last_failure_at';

export function failingFromRow(r: Row): FailingEndpoint {
  const failingSince = numOrNull(r.failing_since);
  return {
    appId: String(r.app_id),
    endpointId: String(r.id),
    uid: strOrNull(r.uid),
    url: String(r.url),
    state: failingSince === null ? 'retrying' : 'exhausted',
    failingSince,
    consecutiveFailures: num(r.consecutive_failures),
    lastFailureAt: numOrNull(r.last_failure_at),
  };
}

export function inboundFromRow(r: Row): InboundEventRow {
  return {
    id: String(r.id),
    sourceId: String(r.source_id),
    eventType: String(r.event_type),
    providerEventId: strOrNull(r.event_id),
    status: String(r.status),
    error: strOrNull(r.error),
    attempts: num(r.attempts),
    receivedAt: num(r.received_at),
  };
}

/**
 * Delivery and attempt ids embed their creation time, never earlier than
 * `created_at` (newId(prefix, now) keeps ids monotonic, so an id may run a
 * little ahead of its row's time, never behind). `id >= floor(since)` is
 * therefore a safe lower bound that lets the (app_id, id), (endpoint_id, id)
 * and primary-key indexes seek to the window; `created_at` makes it exact.
 */
export function idFloor(prefix: 'dlv' | 'atmpt', since: number): string {
  return idFloorAt(prefix, since);
}

/** Dense series: every bucket from `origin` to the window's end, zeros where nothing happened. */
export function fillSeries(scope: StatsScope, bucketMs: number, origin: number, rows: readonly Row[]): SeriesPoint[] {
  const byBucket = new Map<number, Row>(rows.map((r) => [num(r.bucket), r]));
  const out: SeriesPoint[] = [];
  const n = Math.max(0, Math.ceil((scope.until - origin) / bucketMs));
  for (let i = 0; i < n && i < 10_000; i++) {
    const r = byBucket.get(i);
    out.push({ t: origin + i * bucketMs, succeeded: num(r?.succeeded ?? 0), failed: num(r?.failed ?? 0) });
  }
  return out;
}

/** Deliveries counted by state from `(status, retrying, n)` groups. */
export function addDeliveryCount(out: DeliveryCounts, r: Row): void {
  const state = deliveryStateOf(num(r.status), bool(r.retrying));
  if (state !== 'held') out[state] += num(r.n);
}

export const emptyDeliveryCounts = (): DeliveryCounts => ({
  pending: 0,
  retrying: 0,
  sending: 0,
  succeeded: 0,
  exhausted: 0,
});

/** Attempt counts from `(status, error_kind, n)` groups (stored numbers: store/status-codes.ts). */
export function attemptCountsFromRows(rows: readonly Row[]): AttemptCounts {
  const out: AttemptCounts = { succeeded: 0, failed: 0, byErrorKind: {} };
  for (const r of rows) {
    const n = num(r.n);
    if (attemptStatusOf(num(r.status)) === 'succeeded') {
      out.succeeded += n;
      continue;
    }
    out.failed += n;
    const kind = strOrNull(r.error_kind) ?? 'http_error';
    out.byErrorKind[kind] = (out.byErrorKind[kind] ?? 0) + n;
  }
  return out;
}

/**
 * SQL for "this delivery is retrying": pending again after a failed scheduled
 * attempt (a resend sets the trigger to manual, and it is then just pending).
 */
export const retryingSql = (alias = ''): string => {
  const t = alias ? `${alias}.` : '';
  return `(${t}status = 0 AND ${t}attempts > 0 AND ${t}trigger_type = 0)`;
};

/** The p95 is the value at this offset of the durations sorted ascending (nearest rank). */
export function p95Offset(count: number): number {
  return Math.max(0, Math.ceil(count * 0.95) - 1);
}

/** Per-message delivery counts from `(msg_id, status, retrying, n)` groups. */
export function messageCountsFromRows(rows: readonly Row[]): MessageDeliveryCounts[] {
  const byMsg = new Map<string, MessageDeliveryCounts>();
  for (const r of rows) {
    const id = String(r.msg_id);
    let c = byMsg.get(id);
    if (!c) {
      c = { msgId: id, ...emptyDeliveryCounts() };
      byMsg.set(id, c);
    }
    addDeliveryCount(c, r);
  }
  return [...byMsg.values()];
}
