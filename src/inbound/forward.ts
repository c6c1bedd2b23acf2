import { newId } from '../core/ids.js';
import { matchesEventType } from '../core/matching.js';
import type { Endpoint, Message } from '../core/types.js';
import type { Source } from '../store/inbound-port.js';
import type { NewMessage } from '../store/port.js';

/**
 * How an inbound event becomes messages: one in the source's application
 * (its endpoints are the ingest endpoints) when an endpoint wants it, and one
 * in the outbound application `forwardAppId` when the source forwards there.
 * Pure: the caller passes the endpoints and the clock.
 */

/**
 * Provider types as message event types. Some providers use characters event
 * type names cannot hold (Shopify's `orders/create`); those become dots
 * (`orders.create`), so `filterTypes` such as `orders.*` work.
 */
export function messageEventType(eventType: string): string {
  const cleaned = eventType.replace(/[^a-zA-Z0-9\-_.]/g, '.').slice(0, 256);
  return cleaned === '' ? 'unknown' : cleaned;
}

/**
 * The payload forwarded: the body itself when it is JSON (its text, so the
 * receiver gets the provider's bytes), otherwise `{raw: base64, contentType}`.
 */
export function forwardPayload(body: Buffer, contentType: string | null): string {
  const text = body.toString('utf8');
  try {
    JSON.parse(text);
    return text;
  } catch {
    return JSON.stringify({ raw: body.toString('base64'), contentType });
  }
}

export interface ForwardPlan {
  messages: NewMessage[];
  msgId: string | null;
  forwardMsgId: string | null;
  /** Deliveries queued in all; none means the event is `unhandled`. */
  deliveries: number;
}

export function planForward(args: {
  source: Source;
  eventId: string;
  eventType: string;
  payload: string;
  now: number;
  ingestEndpoints: readonly Endpoint[];
  forwardEndpoints: readonly Endpoint[];
}): ForwardPlan {
  const eventType = messageEventType(args.eventType);
  const message = (appId: string): Message => ({
    id: newId('msg', args.now),
    appId,
    eventType,
    eventId: args.eventId,
    payload: args.payload,
    channels: null,
    tags: ['inbound', `source:${args.source.id}`],
    createdAt: args.now,
  });
  const wanted = (eps: readonly Endpoint[]) =>
    eps
      .filter((e) => !e.disabled && matchesEventType(e.filterTypes, eventType) && !e.channels?.length)
      .map((e) => e.id);

  const plan: ForwardPlan = { messages: [], msgId: null, forwardMsgId: null, deliveries: 0 };
  const ingest = wanted(args.ingestEndpoints);
  if (ingest.length > 0) {
    const m = message(args.source.appId);
    plan.messages.push({ message: m, endpointIds: ingest });
    plan.msgId = m.id;
    plan.deliveries += ingest.length;
  }
  if (args.source.forwardAppId) {
    // Published like any message of that application, subscribers or not.
    const forward = wanted(args.forwardEndpoints);
    const m = message(args.source.forwardAppId);
    plan.messages.push({ message: m, endpointIds: forward });
    plan.forwardMsgId = m.id;
    plan.deliveries += forward.length;
  }
  return plan;
}
