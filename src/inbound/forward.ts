import { fanOut } from '../core/fanout.js';
import { newId } from '../core/ids.js';
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
export function forwardPayload(
  body: Buffer,
  contentType: string | null,
  // The caller passes what it already knows of the body (see body.ts) rather than decoding it again.
  text = body.toString('utf8'),
  json = isJson(text),
): string {
  return json ? text : JSON.stringify({ raw: body.toString('base64'), contentType });
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
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
  /** The inbound event's id (`evt_…`): the messages' `eventId`, so a reprocess finds them again. */
  inboundEventId: string;
  eventType: string;
  payload: string;
  now: number;
  /** The source's ingest endpoints (the endpoints of its own application). */
  ingestEndpoints: readonly Endpoint[];
  /** The endpoints of the application `forwardAppId` (ordinary endpoints of that application). */
  forwardAppEndpoints: readonly Endpoint[];
  /** The receiving request's trace context, kept with the messages (see delivery/trace.ts). */
  traceContext?: string | null;
}): ForwardPlan {
  const eventType = messageEventType(args.eventType);
  const message = (appId: string): Message => ({
    id: newId('msg', args.now),
    appId,
    eventType,
    eventId: args.inboundEventId,
    payload: args.payload,
    channels: null,
    tags: ['inbound', `source:${args.source.id}`],
    createdAt: args.now,
    ...(args.traceContext && { traceContext: args.traceContext }),
  });
  // Inbound messages have no channels, so an endpoint that asks for channels gets none of them.
  const route = (m: Message, eps: readonly Endpoint[]) =>
    fanOut(
      eps.filter((e) => !e.disabled),
      m,
    );

  const plan: ForwardPlan = { messages: [], msgId: null, forwardMsgId: null, deliveries: 0 };
  const own = message(args.source.appId);
  const ingest = route(own, args.ingestEndpoints);
  // Kept when only a filter error stopped it, so the error shows on the message.
  if (ingest.endpointIds.length > 0 || ingest.filterErrors.length > 0) {
    plan.messages.push({ message: own, ...ingest });
    plan.msgId = own.id;
    plan.deliveries += ingest.endpointIds.length;
  }
  if (args.source.forwardAppId) {
    // Published like any message of that application, subscribers or not.
    const m = message(args.source.forwardAppId);
    const forward = route(m, args.forwardAppEndpoints);
    plan.messages.push({ message: m, ...forward });
    plan.forwardMsgId = m.id;
    plan.deliveries += forward.endpointIds.length;
  }
  return plan;
}
