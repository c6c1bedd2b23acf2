import { randomBytes } from 'node:crypto';
import { newId } from '../../src/core/ids.js';
import type { Application, Attempt, Endpoint, Message } from '../../src/core/types.js';
import type { ClaimedDelivery, EndpointInput, Store } from '../../src/store/port.js';

/**
 * Builders for store tests. Every time is explicit (from T0), so the tests
 * never depend on the clock; ids still come from newId, which is monotonic
 * within a process, so creation order is id order.
 */
export const T0 = 1_700_000_000_000;

export const secret = (): string => `whsec_${randomBytes(24).toString('base64')}`;

export function createApp(store: Store, over: Partial<Application> = {}, now = T0): Promise<Application> {
  return store.createApp({ id: newId('app'), uid: null, name: 'Acme', rateLimit: null, metadata: {}, ...over }, now);
}

export function endpointInput(appId: string, over: Partial<EndpointInput> = {}): EndpointInput {
  return {
    id: newId('ep'),
    appId,
    uid: null,
    url: 'https://example.com/hook',
    description: '',
    filterTypes: null,
    channels: null,
    disabled: false,
    rateLimit: null,
    metadata: {},
    headers: {},
    secrets: [{ key: secret(), expiresAt: null }],
    timeoutMs: null,
    retrySchedule: null,
    format: 'standard',
    transformation: null,
    ...over,
  };
}

export function createEndpoint(
  store: Store,
  appId: string,
  over: Partial<EndpointInput> = {},
  now = T0,
): Promise<Endpoint> {
  return store.createEndpoint(endpointInput(appId, over), now);
}

export function message(appId: string, over: Partial<Message> = {}): Message {
  return {
    id: newId('msg'),
    appId,
    eventType: 'invoice.paid',
    eventId: null,
    payload: '{"amount":1}',
    channels: null,
    tags: null,
    createdAt: T0,
    ...over,
  };
}

/** Publishes one message to `endpointIds` and returns it. */
export async function publish(
  store: Store,
  appId: string,
  endpointIds: string[],
  over: Partial<Message> = {},
  now = T0,
): Promise<Message> {
  const msg = message(appId, { createdAt: now, ...over });
  await store.createMessages([{ message: msg, endpointIds }], now);
  return msg;
}

/** The attempt a worker would record for a claimed delivery. */
export function attemptFor(c: ClaimedDelivery, at: number, over: Partial<Attempt> = {}): Attempt {
  return {
    id: newId('atmpt'),
    deliveryId: c.delivery.id,
    msgId: c.message.id,
    endpointId: c.endpoint.id,
    appId: c.message.appId,
    url: c.endpoint.url,
    status: 'succeeded',
    triggerType: c.triggerType,
    parentId: c.parentAttemptId,
    responseStatusCode: 200,
    responseHeaders: { 'content-type': 'text/plain' },
    response: 'ok',
    responseDurationMs: 12,
    requestHeaders: { 'webhook-id': c.message.id },
    requestBody: null,
    errorKind: null,
    errorDetail: null,
    createdAt: at,
    ...over,
  };
}
