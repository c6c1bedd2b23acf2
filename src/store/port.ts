import type {
  Application,
  Attempt,
  Delivery,
  DeliveryState,
  Endpoint,
  EventType,
  Message,
  Page,
  PageRequest,
  Status,
  TriggerType,
} from '../core/types.js';
import type { InboundStore } from './inbound-port.js';
import type { NewMessage } from './new-message.js';
import type { OpsStore } from './ops-port.js';

/**
 * The Store port: everything the rest of Hookway may ask of a database. Two
 * adapters implement it (sqlite/, postgres/) and test/store/contract.ts runs
 * the same suite against both. Methods are grouped by entity; each adapter
 * keeps one file per group, one function per operation.
 */

export type AppInput = Omit<Application, 'createdAt' | 'updatedAt'>;
export type EventTypeInput = Omit<EventType, 'createdAt' | 'updatedAt'>;
export type EndpointInput = Omit<Endpoint, 'createdAt' | 'updatedAt' | 'version' | 'filter' | 'fifo'> & {
  version?: number;
  /** No filter when left out. */
  filter?: string | null;
  /** Not FIFO when left out. */
  fifo?: boolean;
};

export type { NewMessage } from './new-message.js';

export interface MessageFilter {
  eventTypes?: string[] | undefined;
  channel?: string | undefined;
  before?: number | undefined;
  after?: number | undefined;
  tag?: string | undefined;
}

export interface EndpointMessageFilter extends MessageFilter {
  /** The delivery's state; `pending` also finds retrying ones (they are stored alike). */
  status?: DeliveryState | undefined;
}

/** A message as one endpoint saw it: the delivery's state and when it is tried next. */
export interface EndpointMessage {
  message: Message;
  status: DeliveryState;
  nextAttempt: number | null;
}

export interface AttemptFilter {
  /** Attempts with this status; a word no attempt has (`pending`...) finds none. */
  status?: Status | undefined;
  /** Svix's status code class: 0 (no response), 100, 200, 300, 400 or 500; matches that hundred. */
  statusCodeClass?: number | undefined;
  tag?: string | undefined;
  eventTypes?: string[] | undefined;
  before?: number | undefined;
  after?: number | undefined;
  endpointId?: string | undefined;
  msgId?: string | undefined;
  channel?: string | undefined;
}

/** What a worker needs to send one delivery, read in the claiming statement. */
export interface ClaimedDelivery {
  delivery: Delivery;
  message: Message;
  endpoint: Endpoint;
  /** Trigger of the attempt about to be made, and the attempt it repeats (manual resend). */
  triggerType: TriggerType;
  parentAttemptId: string | null;
}

/**
 * A FIFO endpoint's queue. The head is the delivery being sent, or else the
 * pending one with the lowest sequence number (sent next, once due).
 */
export interface FifoQueue {
  head: Delivery | null;
  /** Deliveries queued behind the head. */
  waiting: number;
}

export type DeliveryUpdate =
  | { kind: 'succeeded' }
  | { kind: 'retry'; nextAttemptAt: number }
  | { kind: 'exhausted' }
  /** The endpoint answered 410 Gone: the delivery is exhausted and the endpoint disabled. */
  | { kind: 'gone' };

export interface AttemptResult {
  attempt: Attempt;
  deliveryId: string;
  update: DeliveryUpdate;
}

export interface AttemptedDestination {
  endpointId: string;
  url: string;
  /** Set when the endpoint got no delivery because its filter failed on the message. */
  filterError: string | null;
  nextAttempt: number | null;
  attempts: number;
  /** `filtered` when a filter error kept the message from the endpoint (see filterError). */
  deliveryState: DeliveryState | 'filtered';
  disabled: boolean;
  description: string;
  uid: string | null;
  channels: string[] | null;
  createdAt: number;
  updatedAt: number;
}

export interface IdempotentResponse {
  statusCode: number;
  body: string;
}

export interface ApiKey {
  id: string;
  name: string;
  /** The first characters of the token, shown in lists so people can tell keys apart. */
  prefix: string;
  hash: string;
  scopes: string[];
  createdAt: number;
  lastUsedAt: number | null;
  expiresAt: number | null;
  revokedAt: number | null;
}

/** One audit log row: which key changed what, through which route, and when. */
export interface AuditEntry {
  id: string;
  at: number;
  keyId: string | null;
  method: string;
  /** The route pattern, e.g. `/api/v1/app/:app_id/endpoint/:endpoint_id`. */
  route: string;
  path: string;
  status: number;
  appId: string | null;
  /** The entity the change made or touched (the last path id, or the `id` of the answer). */
  entityId: string | null;
  params: Record<string, string>;
}

export interface AuditFilter {
  keyId?: string | undefined;
  appId?: string | undefined;
}

/** The inbound gateway's operations live in their own port (inbound-port.ts); operations in ops-port.ts. */
export interface Store extends InboundStore, OpsStore {
  readonly dialect: 'sqlite' | 'postgres';
  /** Applies pending migrations under a lock; safe when several nodes start at once. */
  migrate(): Promise<{ applied: string[] }>;
  close(): Promise<void>;

  // Applications
  createApp(app: AppInput, now: number): Promise<Application>;
  getApp(idOrUid: string): Promise<Application | null>;
  listApps(page: PageRequest): Promise<Page<Application>>;
  updateApp(app: AppInput, now: number): Promise<Application>;
  deleteApp(id: string): Promise<void>;

  // Event types
  createEventType(et: EventTypeInput, now: number): Promise<EventType>;
  getEventType(name: string): Promise<EventType | null>;
  listEventTypes(page: PageRequest, opts: { includeArchived: boolean }): Promise<Page<EventType>>;
  updateEventType(et: EventTypeInput, now: number): Promise<EventType>;
  deleteEventType(name: string): Promise<void>;

  // Endpoints
  createEndpoint(ep: EndpointInput, now: number): Promise<Endpoint>;
  getEndpoint(appId: string, idOrUid: string): Promise<Endpoint | null>;
  listEndpoints(appId: string, page: PageRequest): Promise<Page<Endpoint>>;
  /** Every enabled endpoint of an application: the fan-out set for a new message. */
  activeEndpoints(appId: string): Promise<Endpoint[]>;
  updateEndpoint(ep: EndpointInput, now: number): Promise<Endpoint>;
  deleteEndpoint(appId: string, id: string): Promise<void>;

  // Messages: one transaction for the whole batch (group commit).
  /** Answers the ids of the leased deliveries created (an endpoint deleted since fan-out gets none). */
  createMessages(batch: NewMessage[], now: number): Promise<ReadonlySet<string>>;
  getMessage(appId: string, idOrEventId: string): Promise<Message | null>;
  findMessageByEventId(appId: string, eventId: string): Promise<Message | null>;
  listMessages(appId: string, filter: MessageFilter, page: PageRequest): Promise<Page<Message>>;

  // Deliveries: the queue.
  /**
   * Claims up to `limit` due deliveries in one statement and leases them until
   * `now + leaseMs`. Deliveries of `skipEndpointIds` (at their in-flight cap)
   * stay in the queue for others, and no endpoint gets more than
   * `perEndpoint` pending deliveries of one claim (default `limit`).
   */
  claimDeliveries(
    now: number,
    limit: number,
    leaseMs: number,
    skipEndpointIds: readonly string[],
    perEndpoint?: number,
  ): Promise<ClaimedDelivery[]>;
  /** Hands claimed deliveries back to the queue untouched (claimed beyond an endpoint's cap). */
  releaseDeliveries(ids: readonly string[]): Promise<void>;
  /** Records attempts and moves deliveries on, in one transaction. */
  recordAttempts(results: AttemptResult[], now: number): Promise<void>;
  /** Queues one more (manual) attempt of the delivery of `msgId` to `endpointId`; creates it if there was none. */
  requeueDelivery(
    appId: string,
    msgId: string,
    endpointId: string,
    now: number,
    parentAttemptId: string | null,
  ): Promise<Delivery>;
  /** Earliest due time of a pending delivery, so the dispatcher can sleep exactly that long. */
  nextDueAt(): Promise<number | null>;
  /** Deliveries in a state, as stored: `pending` counts retrying ones too. */
  countDeliveries(filter: { status?: DeliveryState }): Promise<number>;
  /** The queue of a FIFO endpoint: what is at its head, and how many wait behind it. */
  fifoQueue(endpointId: string): Promise<FifoQueue>;

  // Attempts
  /** `appId` null: every application's attempts (the admin's delivery log). */
  listAttempts(appId: string | null, filter: AttemptFilter, page: PageRequest): Promise<Page<Attempt>>;
  getAttempt(appId: string, attemptId: string): Promise<Attempt | null>;
  listAttemptedDestinations(appId: string, msgId: string, page: PageRequest): Promise<Page<AttemptedDestination>>;
  /** The messages sent (or to be sent) to one endpoint, with the state of each delivery; paged by message id. */
  listEndpointMessages(
    appId: string,
    endpointId: string,
    filter: EndpointMessageFilter,
    page: PageRequest,
  ): Promise<Page<EndpointMessage>>;

  // Idempotency-Key answers, kept for a while so a retried POST gets the first answer.
  getIdempotent(key: string, now: number): Promise<IdempotentResponse | null>;
  saveIdempotent(key: string, response: IdempotentResponse, expiresAt: number): Promise<void>;

  // API keys and settings
  createApiKey(key: ApiKey): Promise<void>;
  findApiKeyByHash(hash: string): Promise<ApiKey | null>;
  listApiKeys(): Promise<ApiKey[]>;
  touchApiKey(id: string, now: number): Promise<void>;
  revokeApiKey(id: string, now: number): Promise<void>;
  getSetting(name: string): Promise<string | null>;
  setSetting(name: string, value: string): Promise<void>;

  // Security (0004): key administration, the audit log, master key rotation.
  getApiKey(id: string): Promise<ApiKey | null>;
  listApiKeysPage(page: PageRequest): Promise<Page<ApiKey>>;
  /** Moves the expiry of every unrevoked key named `name` to `at` at the latest; answers how many changed. */
  expireApiKeysByName(name: string, at: number): Promise<number>;
  recordAudit(entries: AuditEntry[]): Promise<void>;
  listAudit(filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntry>>;
  /**
   * Rewrites every encrypted value (`enc:v1:…`) in secret-holding columns
   * (named secret, secrets, config or credentials, in any table) through
   * `reencrypt`, in one transaction. Answers the tables touched and the count.
   */
  reencryptSecrets(reencrypt: (stored: string) => string): Promise<{ tables: string[]; values: number }>;

  /** Cross-node wake-up (LISTEN/NOTIFY on PostgreSQL; nothing on SQLite, one node). */
  onWake(listener: () => void): () => void;
}
