/**
 * The JSON shapes of the API (Svix v1 names plus Hookway extensions). Times
 * are ISO 8601 strings. Words as in the glossary (src/core/types.ts).
 */
import type { EndpointFormat } from '../core/formats.js';
import type { ErrorKind } from '../core/types.js';

export interface ListResponse<T> {
  data: T[];
  iterator: string | null;
  prevIterator: string | null;
  done: boolean;
}

export interface ListOptions {
  limit?: number;
  iterator?: string | null;
  order?: 'ascending' | 'descending';
}

export type Metadata = Record<string, string>;

export interface ApplicationIn {
  name: string;
  uid?: string | null;
  rateLimit?: number | null;
  metadata?: Metadata;
}

export interface ApplicationOut {
  id: string;
  uid: string | null;
  name: string;
  rateLimit: number | null;
  metadata: Metadata;
  createdAt: string;
  updatedAt: string;
  /** Hookway: set on applications Hookway keeps for itself. */
  internal?: 'operational-webhooks' | 'inbound-source' | null;
}

export interface EventTypeIn {
  name: string;
  description?: string;
  archived?: boolean;
  deprecated?: boolean;
  schemas?: Record<string, unknown> | null;
  featureFlag?: string | null;
  groupName?: string | null;
}

export interface EventTypeOut {
  name: string;
  description: string;
  archived: boolean;
  deprecated: boolean;
  schemas: Record<string, unknown> | null;
  featureFlag: string | null;
  groupName: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface EndpointIn {
  /**
   * An HTTP(S) URL, or a broker: `amqp(s)://user:pass@host/vhost?exchange=NAME&routingKey=KEY`,
   * `nats://host:4222?subject=NAME`, `redis(s)://host:6379/0?stream=NAME[&maxLen=N]`.
   * Answers show a broker credential as `****`; sending that back unchanged keeps it.
   */
  url: string;
  description?: string;
  uid?: string | null;
  version?: number | null;
  filterTypes?: string[] | null;
  channels?: string[] | null;
  disabled?: boolean;
  rateLimit?: number | null;
  metadata?: Metadata;
  secret?: string | null;
  /** `ed25519` generates a `whsk_` signing key: requests carry `v1a` signatures, the secret route answers the `whpk_` public key. */
  signing?: 'hmac' | 'ed25519';
  headers?: Record<string, string> | null;
  timeoutMs?: number | null;
  retrySchedule?: number[] | null;
  /** One of the endpoint formats; `seed002`, `seed003` and `seed004` are accepted as earlier names of the HMAC presets. */
  format?: EndpointFormat | 'seed002' | 'seed003' | 'seed004';
  transformation?: string | null;
  /** CEL expression over `payload`, `eventType` and `channels` (see docs/filters.md). */
  filter?: string | null;
  /** One message at a time, in creation order; a failing one holds the rest (see docs/fifo.md). Default false. */
  fifo?: boolean;
}

export interface EndpointOut {
  id: string;
  uid: string | null;
  url: string;
  description: string;
  version: number;
  filterTypes: string[] | null;
  channels: string[] | null;
  disabled: boolean;
  rateLimit: number | null;
  metadata: Metadata;
  createdAt: string;
  updatedAt: string;
  timeoutMs: number | null;
  retrySchedule: number[] | null;
  format: string;
  filter: string | null;
  fifo: boolean;
  signing: 'hmac' | 'ed25519';
  status: 'healthy' | 'failing' | 'disabled';
  /** Set when `status` is `failing`: `retrying` (its last attempt failed) or `exhausted` (a message ran out of attempts). */
  failure?: {
    state: 'retrying' | 'exhausted';
    consecutiveFailures: number;
    failingSince: string | null;
    lastFailureAt: string | null;
  } | null;
}

/** A FIFO endpoint's queue: the message at its head and how many wait behind it. */
export interface FifoQueueOut {
  fifo: boolean;
  /** The head's last attempt failed: it holds `waiting` messages until it succeeds or runs out of attempts. */
  held: boolean;
  head: {
    deliveryId: string;
    msgId: string;
    eventType: string | null;
    state: 'pending' | 'retrying' | 'sending';
    attempts: number;
    nextAttempt: string | null;
    lastAttempt: AttemptOut | null;
  } | null;
  waiting: number;
}

export interface FilterTestIn {
  filter: string;
  payload: unknown;
  eventType?: string;
  channels?: string[] | null;
}

/** `pass: false` with `error` when the filter failed on the sample (a compile error is a 422 instead). */
export interface FilterTestOut {
  pass: boolean;
  error: string | null;
}

export interface EndpointSecretOut {
  key: string;
}

export interface EndpointHeadersOut {
  headers: Record<string, string>;
  sensitive: string[];
}

export interface MessageIn {
  eventType: string;
  eventId?: string | null;
  payload: Record<string, unknown>;
  channels?: string[] | null;
  tags?: string[] | null;
  application?: ApplicationIn;
}

export interface MessageOut {
  id: string;
  eventId: string | null;
  eventType: string;
  payload: Record<string, unknown>;
  channels: string[] | null;
  tags: string[] | null;
  timestamp: string;
  /** Hookway: the state of its deliveries, worst first (`exhausted`, `retrying`, `sending`, `pending`, `succeeded`, `no_endpoints`); on list and get. */
  deliveryStatus?: string;
  deliveries?: DeliveryCountsOut;
}

/** Deliveries by state: `retrying` waits for its next attempt after a failure, `exhausted` has none left. */
export interface DeliveryCountsOut {
  total: number;
  succeeded: number;
  retrying: number;
  exhausted: number;
  pending: number;
  sending: number;
}

export interface MessageListOptions extends ListOptions {
  event_types?: string[];
  channel?: string;
  tag?: string;
  before?: string;
  after?: string;
  with_content?: boolean;
}

/**
 * Why an attempt failed (a Hookway extension). `unroutable` and `refused` come from broker
 * endpoints: a publish no queue or stream took, and one the broker answered with an error.
 */
export type AttemptErrorKind = ErrorKind;

/**
 * Svix's MessageStatus numbers, as the API sends them: 0 succeeded, 1 pending
 * (also retrying), 2 failed (a delivery: exhausted), 3 sending; `statusText`
 * gives Svix's words (`success`, `pending`, `fail`, `sending`).
 */
export type AttemptStatus = 0 | 1 | 2 | 3;

export interface AttemptOut {
  id: string;
  msgId: string;
  endpointId: string;
  url: string;
  status: AttemptStatus;
  statusText?: string;
  triggerType: 0 | 1;
  responseStatusCode: number;
  response: string;
  responseDurationMs: number;
  timestamp: string;
  /** Hookway: why an attempt failed (see AttemptErrorKind) and the detail. */
  errorKind?: AttemptErrorKind | null;
  errorDetail?: string | null;
  appId?: string;
  eventType?: string | null;
  /** The delivery log's rows (`listByApp`, `listAll`) name the application and the endpoint's uid. */
  appName?: string | null;
  endpointUid?: string | null;
  [extra: string]: unknown;
}

export interface AttemptListOptions extends ListOptions {
  status?: AttemptStatus;
  event_types?: string[];
  before?: string;
  after?: string;
  channel?: string;
  endpoint_id?: string;
}

export interface AttemptedDestinationOut {
  id: string;
  uid: string | null;
  url: string;
  status: AttemptStatus;
  /** `filtered` when the endpoint's filter failed on the message (then `filterError` says why). */
  statusText?: 'success' | 'pending' | 'fail' | 'sending' | 'filtered';
  /** Hookway extension: the delivery's state, or `filtered` as above. */
  deliveryState?: 'pending' | 'sending' | 'retrying' | 'succeeded' | 'exhausted' | 'filtered';
  nextAttempt: string | null;
  filterError?: string | null;
  [extra: string]: unknown;
}

/** A bulk operation running on the server (recover, replay-missing). */
export interface BackgroundTaskOut {
  id: string;
  status: 'running' | 'finished' | 'failed' | string;
  total?: number;
  done?: number;
  failed?: number;
  [extra: string]: unknown;
}

/** Routes whose shapes Hookway's own docs describe; typed loosely here. */
export type Json = Record<string, unknown>;
