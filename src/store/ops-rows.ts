import { idFloorAt } from '../core/ids.js';
import type {
  EndpointHealth,
  InboundEventRow,
  SeriesPoint,
  StatsScope,
  Task,
  TaskKind,
  TaskStatus,
} from './ops-port.js';
import { bool, fromJson, num, numOrNull, type Row, strOrNull } from './rows.js';

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

export function inboundFromRow(r: Row): InboundEventRow {
  return {
    id: String(r.id),
    sourceId: String(r.source_id),
    eventType: String(r.event_type),
    eventId: strOrNull(r.event_id),
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

/** Dense series: every bucket of the window, zeros where nothing happened. */
export function fillSeries(scope: StatsScope, bucketMs: number, rows: readonly Row[]): SeriesPoint[] {
  const byBucket = new Map<number, Row>(rows.map((r) => [num(r.bucket), r]));
  const out: SeriesPoint[] = [];
  const n = Math.max(0, Math.ceil((scope.until - scope.since) / bucketMs));
  for (let i = 0; i < n && i < 10_000; i++) {
    const r = byBucket.get(i);
    out.push({ t: scope.since + i * bucketMs, succeeded: num(r?.succeeded ?? 0), failed: num(r?.failed ?? 0) });
  }
  return out;
}

/** The p95 is the value at this offset of the durations sorted ascending (nearest rank). */
export function p95Offset(count: number): number {
  return Math.max(0, Math.ceil(count * 0.95) - 1);
}
