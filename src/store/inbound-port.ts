import type { Json, Metadata, Page, PageRequest } from '../core/types.js';
import type { NewMessage } from './new-message.js';

/**
 * The inbound part of the Store port. Words (see src/core/types.ts):
 *
 * - Source: an inbound receiver for one provider. It owns a hidden
 *   application (`appId`); that application's endpoints are the source's
 *   ingest endpoints, so forwarding is ordinary delivery.
 * - Inbound event: one verified request a source received, stored raw. It is
 *   forwarded as a message (eventId = the inbound event's id) in the source's
 *   application, and optionally in `forwardAppId`.
 * - Rejection: a request that failed verification; kept for the operator,
 *   never processed.
 */

export type InboundStatus = 'received' | 'forwarded' | 'processed' | 'unhandled' | 'error';
export const INBOUND_STATUSES: readonly InboundStatus[] = ['received', 'forwarded', 'processed', 'unhandled', 'error'];

export interface Source {
  id: string;
  uid: string | null;
  name: string;
  /** A SourceType of src/inbound/verify-types.ts, or an alias such as Svix's `open-ai`. */
  type: string;
  /** As given by the operator (secrets in plaintext in memory only; encrypted at rest). */
  config: Record<string, Json>;
  appId: string;
  forwardAppId: string | null;
  /** Largest accepted body, bytes. */
  bodyLimit: number;
  metadata: Metadata;
  createdAt: number;
  updatedAt: number;
}

export type SourceInput = Omit<Source, 'createdAt' | 'updatedAt'>;

export interface InboundEvent {
  id: string;
  sourceId: string;
  /** Provider idempotency key; the event's own id when the provider sends none. */
  dedupeKey: string;
  /** The provider's event id (webhook-id, Stripe `evt_`, X-GitHub-Delivery...), if any. */
  providerEventId: string | null;
  eventType: string;
  /** The exact bytes received (empty in list reads, which skip the body). */
  body: Buffer;
  contentType: string | null;
  /** Lower-case names; credentials redacted. */
  headers: Record<string, string>;
  status: InboundStatus;
  error: string | null;
  /** Delivery attempts made for this event, summed over its deliveries. */
  attempts: number;
  msgId: string | null;
  forwardMsgId: string | null;
  receivedAt: number;
  updatedAt: number;
}

export interface Rejection {
  id: string;
  sourceId: string;
  reason: string;
  headers: Record<string, string>;
  bodyExcerpt: string;
  receivedAt: number;
}

/** One received event and the messages that forward it, committed together. */
export interface NewInboundEvent {
  event: InboundEvent;
  /** Inserted (with their deliveries) only when the event is not a duplicate. */
  messages: NewMessage[];
}

export type InboundReceipt =
  /** `leased`: the deliveries leased to this node (NewMessage.leased) that its messages created. */
  | { duplicate: false; id: string; leased: ReadonlySet<string> }
  /** `id` and `eventType` of the event stored first. */
  | { duplicate: true; id: string; eventType: string };

export interface InboundEventFilter {
  status?: InboundStatus | undefined;
  eventType?: string | undefined;
  /** received_at >= since */
  since?: number | undefined;
}

export interface InboundPageRequest extends PageRequest {
  /** Rows to skip (`offset`); combines with `iterator`. */
  offset?: number | undefined;
}

export interface InboundEventPatch {
  status: InboundStatus;
  error: string | null;
  msgId?: string | null;
  forwardMsgId?: string | null;
}

export interface InboundStats {
  events_by_type: Record<string, number>;
  events_by_status: Record<string, number>;
  recent_events_24h: number;
  total_events: number;
}

export interface InboundStore {
  // Sources
  createSource(source: SourceInput, now: number): Promise<Source>;
  /** By id first, then uid. */
  getSource(idOrUid: string): Promise<Source | null>;
  listSources(page: PageRequest): Promise<Page<Source>>;
  updateSource(source: SourceInput, now: number): Promise<Source>;
  deleteSource(id: string): Promise<void>;

  // Inbound events
  /**
   * Group commit of received events: each event is inserted unless its
   * (source, dedupe key) exists, in which case it is reported as a duplicate
   * and its messages are skipped. Events, messages and deliveries of the
   * whole batch commit in one transaction; a duplicate never fails the rest.
   */
  receiveInbound(batch: NewInboundEvent[], now: number): Promise<InboundReceipt[]>;
  getInboundEvent(sourceId: string, id: string): Promise<InboundEvent | null>;
  /** Newest first by default; rows carry no body. */
  listInboundEvents(
    sourceId: string,
    filter: InboundEventFilter,
    page: InboundPageRequest,
  ): Promise<Page<InboundEvent>>;
  updateInboundEvent(id: string, patch: InboundEventPatch, now: number): Promise<void>;
  /**
   * Recomputes status and attempts of the events forwarded by `msgIds` from
   * their deliveries: `error` once one delivery failed for good (with
   * `errors[msgId]` as text when given), `processed` once all succeeded.
   */
  settleInbound(msgIds: readonly string[], errors: Readonly<Record<string, string>>, now: number): Promise<void>;
  inboundStats(sourceId: string, now: number): Promise<InboundStats>;

  // Rejected requests
  recordRejections(rejections: readonly Rejection[]): Promise<void>;
  listRejections(sourceId: string, page: PageRequest): Promise<Page<Rejection>>;
}
