import { type DeliveryCounts, deliveriesOut, messageDeliveryStatus } from '../core/delivery-state.js';
import { maskCredential } from '../core/destination-url.js';
import { withoutUserinfo } from '../core/display-url.js';
import { schemeOf } from '../core/signing.js';
import { svixStatus, svixStatusText } from '../core/svix-status.js';
import type { Application, Attempt, Endpoint, EventType, Message, Page } from '../core/types.js';
import type { EndpointHealth } from '../store/ops-port.js';

/** Domain objects -> the JSON shapes of Svix's API (plus Hookway extension fields). */
export const iso = (ms: number): string => new Date(ms).toISOString();

export function page<T, U>(
  p: Page<T>,
  map: (item: T) => U,
): { data: U[]; iterator: string | null; prevIterator: string | null; done: boolean } {
  return { data: p.data.map(map), iterator: p.iterator, prevIterator: p.prevIterator, done: p.done };
}

/**
 * Applications Hookway keeps for itself: the operational webhooks' one
 * (metadata `internal`) and one per inbound source (metadata `hookway.source`).
 * Lists label them so they are not mistaken for the operator's tenants.
 */
export function internalKind(a: Application): 'operational-webhooks' | 'inbound-source' | null {
  if (a.metadata['hookway.source']) return 'inbound-source';
  if (a.metadata.internal === 'true') return 'operational-webhooks';
  return null;
}

export function appOut(a: Application) {
  return {
    id: a.id,
    uid: a.uid,
    name: a.name,
    rateLimit: a.rateLimit,
    metadata: a.metadata,
    // Hookway extension
    internal: internalKind(a),
    createdAt: iso(a.createdAt),
    updatedAt: iso(a.updatedAt),
  };
}

export function eventTypeOut(e: EventType) {
  return {
    name: e.name,
    description: e.description,
    archived: e.archived,
    deprecated: e.deprecated,
    schemas: e.schemas,
    featureFlag: e.featureFlag,
    groupName: e.groupName,
    createdAt: iso(e.createdAt),
    updatedAt: iso(e.updatedAt),
  };
}

export type EndpointStatus = 'healthy' | 'failing' | 'disabled';

/**
 * An enabled endpoint is `failing` when its last attempt failed or a message
 * ran out of attempts since its last success; `failure.state` says which:
 * `retrying` (deliveries wait for their next attempt) or `exhausted`.
 */
function failureOf(h: EndpointHealth | undefined) {
  if (!h || (h.failingSince === null && h.consecutiveFailures === 0)) return null;
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    state: h.failingSince === null ? ('retrying' as const) : ('exhausted' as const),
    consecutiveFailures: h.consecutiveFailures,
    failingSince: iso(h.failingSince),
    lastFailureAt: iso(h.lastFailureAt),
  };
}

/** Endpoints with their status, from the failure streaks read for them (store.endpointHealth). */
export function endpointsOut(eps: readonly Endpoint[], health: readonly EndpointHealth[]) {
  const byId = new Map(health.map((h) => [h.endpointId, h]));
  return eps.map((e) => endpointOut(e, byId.get(e.id)));
}

export function endpointOut(e: Endpoint, health?: EndpointHealth) {
  const failure = e.disabled ? null : failureOf(health);
  const status: EndpointStatus = e.disabled ? 'disabled' : failure ? 'failing' : 'healthy';
  return {
    id: e.id,
    uid: e.uid,
    url: maskCredential(e.url),
    description: e.description,
    version: e.version,
    filterTypes: e.filterTypes,
    channels: e.channels,
    disabled: e.disabled,
    rateLimit: e.rateLimit,
    metadata: e.metadata,
    createdAt: iso(e.createdAt),
    updatedAt: iso(e.updatedAt),
    // Hookway extensions
    timeoutMs: e.timeoutMs,
    retrySchedule: e.retrySchedule,
    format: e.format,
    filter: e.filter,
    fifo: e.fifo,
    signing: schemeOf(e.secrets[0]?.key),
    status,
    failure,
  };
}

/** `parsed`: the payload as the caller already has it (the 202 of a create), so it is not parsed again. */
export function messageOut(m: Message, withContent = true, parsed?: unknown) {
  return {
    id: m.id,
    eventId: m.eventId,
    eventType: m.eventType,
    payload: withContent ? (parsed ?? (JSON.parse(m.payload) as unknown)) : {},
    channels: m.channels,
    tags: m.tags,
    timestamp: iso(m.createdAt),
  };
}

/** A message with the state of its deliveries (Hookway extension fields). */
export function messageWithStatusOut(m: Message, withContent: boolean, counts: DeliveryCounts | undefined) {
  return {
    ...messageOut(m, withContent),
    deliveryStatus: messageDeliveryStatus(counts),
    deliveries: deliveriesOut(counts ?? { pending: 0, retrying: 0, sending: 0, succeeded: 0, exhausted: 0 }),
  };
}

export function attemptOut(a: Attempt, detail = false) {
  const base = {
    id: a.id,
    msgId: a.msgId,
    endpointId: a.endpointId,
    url: withoutUserinfo(a.url),
    status: svixStatus(a.status),
    statusText: svixStatusText(a.status),
    response: a.response,
    responseStatusCode: a.responseStatusCode,
    responseDurationMs: a.responseDurationMs,
    timestamp: iso(a.createdAt),
    triggerType: a.triggerType,
    // Hookway extensions
    appId: a.appId,
    eventType: a.eventType ?? null,
    errorKind: a.errorKind,
    errorDetail: withoutUserinfo(a.errorDetail),
    parentId: a.parentId,
  };
  if (!detail) return base;
  return {
    ...base,
    requestHeaders: a.requestHeaders,
    requestBody: a.requestBody,
    responseHeaders: a.responseHeaders,
  };
}
