import type { Application, Attempt, Endpoint, EventType, Message, Page } from '../core/types.js';

/** Domain objects -> the JSON shapes of Svix's API (plus Hookway extension fields). */
export const iso = (ms: number): string => new Date(ms).toISOString();

export function page<T, U>(
  p: Page<T>,
  map: (item: T) => U,
): { data: U[]; iterator: string | null; prevIterator: string | null; done: boolean } {
  return { data: p.data.map(map), iterator: p.iterator, prevIterator: p.prevIterator, done: p.done };
}

export function appOut(a: Application) {
  return {
    id: a.id,
    uid: a.uid,
    name: a.name,
    rateLimit: a.rateLimit,
    metadata: a.metadata,
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

export function endpointOut(e: Endpoint, status?: EndpointStatus) {
  return {
    id: e.id,
    uid: e.uid,
    url: e.url,
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
    status: status ?? (e.disabled ? 'disabled' : 'healthy'),
  };
}

export function messageOut(m: Message, withContent = true) {
  return {
    id: m.id,
    eventId: m.eventId,
    eventType: m.eventType,
    payload: withContent ? (JSON.parse(m.payload) as unknown) : {},
    channels: m.channels,
    tags: m.tags,
    timestamp: iso(m.createdAt),
  };
}

const STATUS_TEXT = ['success', 'pending', 'fail', 'sending'] as const;

export function attemptOut(a: Attempt, detail = false) {
  const base = {
    id: a.id,
    msgId: a.msgId,
    endpointId: a.endpointId,
    url: a.url,
    status: a.status,
    statusText: STATUS_TEXT[a.status],
    response: a.response,
    responseStatusCode: a.responseStatusCode,
    responseDurationMs: a.responseDurationMs,
    timestamp: iso(a.createdAt),
    triggerType: a.triggerType,
    // Hookway extensions
    errorKind: a.errorKind,
    errorDetail: a.errorDetail,
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
