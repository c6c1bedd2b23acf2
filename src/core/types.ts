/**
 * Glossary. These words mean the same thing in code, API, UI and docs
 * (docs/concepts.md says the same in prose).
 *
 * Outbound:
 * - Application: one tenant of the sender (one of *your* customers). Messages
 *   are published to an application.
 * - Event type: a catalogue entry such as `invoice.paid`, optionally with a
 *   JSON Schema that payloads must match.
 * - Endpoint: a subscription of an application: a URL (an HTTP server or a
 *   message broker), a secret and filters.
 * - Message: one event published to one application, stored once. Its
 *   `eventId` is the publisher's idempotency key (Svix's name), nothing else.
 * - Delivery: one message for one endpoint. It is the unit the queue holds:
 *   it has a status (the words of `STATUSES` below), an attempt count, a
 *   next attempt time and a lease.
 * - Attempt: one try of a delivery (an HTTP request or a broker publish), with
 *   request and response recorded; it `succeeded` or `failed`.
 *
 * Inbound:
 * - Source: an inbound receiver for one provider (OpenAI, Stripe, ...), with
 *   the URL the provider posts to.
 * - Inbound event: one request a source received, verified and stored raw.
 *   Its id is `evt_…`; the provider's own id of it is the provider event id
 *   (`providerEventId`), on which duplicates are dropped.
 * - Ingest endpoint: where a source forwards its verified events. It is an
 *   endpoint of the source's own application, so a forwarded inbound event is
 *   a message (its `eventId` is the inbound event's id) delivered like any other.
 *
 * Times are integer milliseconds since the epoch everywhere inside Hookway;
 * the API converts them to ISO 8601 strings at the edge.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Metadata = Record<string, string>;

export interface Application {
  id: string;
  uid: string | null;
  name: string;
  rateLimit: number | null;
  metadata: Metadata;
  createdAt: number;
  updatedAt: number;
}

export interface EventType {
  name: string;
  description: string;
  schemas: Record<string, Json> | null;
  archived: boolean;
  deprecated: boolean;
  featureFlag: string | null;
  groupName: string | null;
  createdAt: number;
  updatedAt: number;
}

/** A signing secret; `expiresAt` is set on old secrets kept during rotation. */
export interface EndpointSecret {
  key: string;
  expiresAt: number | null;
}

import type { EndpointFormat } from './formats.js';

export type { EndpointFormat } from './formats.js';

export interface Endpoint {
  id: string;
  appId: string;
  uid: string | null;
  url: string;
  description: string;
  version: number;
  filterTypes: string[] | null;
  channels: string[] | null;
  disabled: boolean;
  rateLimit: number | null;
  metadata: Metadata;
  headers: Record<string, string>;
  /** Current secret first, then old ones still in their grace period. Plaintext in memory only. */
  secrets: EndpointSecret[];
  timeoutMs: number | null;
  retrySchedule: number[] | null;
  format: EndpointFormat;
  transformation: string | null;
  /** A CEL expression over `payload`, `eventType` and `channels`; the endpoint gets only messages it answers true for. */
  filter: string | null;
  /** Messages go out one at a time, in the order their creation was committed (see docs/fifo.md). */
  fifo: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface Message {
  id: string;
  appId: string;
  eventType: string;
  eventId: string | null;
  /** The exact JSON text that is sent; kept as text so signatures cover stable bytes. */
  payload: string;
  channels: string[] | null;
  tags: string[] | null;
  createdAt: number;
  /**
   * The W3C trace context the message was created in (`traceparent`, then
   * `tracestate` after a newline), so every attempt, on any node, continues
   * that trace. Absent or null when tracing was off.
   */
  traceContext?: string | null;
}

/**
 * Status words: one list for deliveries, attempts and messages, in code, UI
 * and docs. Numbers are encodings at the edges only: Svix's MessageStatus in
 * the API (core/svix-status.ts) and the stored columns (store/status-codes.ts).
 *
 * - `pending`: a delivery queued and not tried since it was created or resent by hand;
 * - `sending`: an attempt of the delivery is in flight;
 * - `retrying`: the delivery's last attempt failed and the next one is scheduled;
 * - `held`: a delivery of a FIFO endpoint waiting behind an earlier message;
 * - `succeeded`: an attempt that succeeded, and the delivery it ended;
 * - `failed`: an attempt that failed;
 * - `exhausted`: a delivery with no attempt left: its schedule ran out, or its
 *   endpoint answered 410 Gone and was disabled;
 * - `filtered`: no delivery at all: the endpoint's payload filter failed on the message.
 */
export const STATUSES = [
  'pending',
  'sending',
  'retrying',
  'held',
  'succeeded',
  'failed',
  'exhausted',
  'filtered',
] as const;
export type Status = (typeof STATUSES)[number];

/** Where a delivery stands. */
export type DeliveryState = Exclude<Status, 'failed' | 'filtered'>;

/** How an attempt ended. */
export type AttemptStatus = Extract<Status, 'succeeded' | 'failed'>;

export interface Delivery {
  id: string;
  msgId: string;
  endpointId: string;
  appId: string;
  status: DeliveryState;
  attempts: number;
  nextAttemptAt: number;
  leaseUntil: number | null;
  createdAt: number;
  updatedAt: number;
}

export const TriggerType = { scheduled: 0, manual: 1 } as const;
export type TriggerType = (typeof TriggerType)[keyof typeof TriggerType];

/**
 * Why an attempt failed. `unroutable` and `refused` come from broker
 * destinations: a publish no queue or stream took, and a publish the broker
 * answered with an error (missing exchange, negative acknowledgement, bad credentials).
 */
export type ErrorKind =
  | 'timeout'
  | 'network'
  | 'http_error'
  | 'invalid_response'
  | 'blocked'
  | 'unroutable'
  | 'refused';

export interface Attempt {
  id: string;
  deliveryId: string;
  msgId: string;
  endpointId: string;
  appId: string;
  url: string;
  status: AttemptStatus;
  triggerType: TriggerType;
  parentId: string | null;
  responseStatusCode: number;
  responseHeaders: Record<string, string> | null;
  response: string;
  responseDurationMs: number;
  requestHeaders: Record<string, string>;
  /** Null when the body sent was the message payload itself (the usual case). */
  requestBody: string | null;
  errorKind: ErrorKind | null;
  errorDetail: string | null;
  createdAt: number;
  /** The message's event type, as stored with the attempt (read back from the store, not set when sending). */
  eventType?: string;
}

/** A page of results: ids sort by time, so `iterator` is the last id seen and `prevIterator` `-` + the first. */
export interface Page<T> {
  data: T[];
  iterator: string | null;
  prevIterator: string | null;
  done: boolean;
}

export interface PageRequest {
  limit: number;
  iterator?: string | undefined;
  /** Newest first unless `order` is `asc`. */
  order?: 'asc' | 'desc';
  /**
   * Walk back from `iterator` (Svix's prevIterator, sent as `-{id}`): the page
   * just before it, in the same order as the forward pages.
   */
  prev?: boolean;
}
