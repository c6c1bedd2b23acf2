/**
 * The shapes the dashboard reads from Hookway's public HTTP API (times are ISO strings).
 * The words follow the glossary in src/core/types.ts: an application owns endpoints and
 * messages; a delivery of a message to an endpoint is tried in attempts; a source receives
 * inbound events from one provider.
 */

import type { MessageDeliveryStatus } from '../core/delivery-state';
import { ENDPOINT_FORMATS, type EndpointFormat } from '../core/formats';
import type { AttemptedDestinationOut, DeliveryCountsOut, EndpointOut, FifoQueueOut } from '../sdk/types';

export interface Page<T> {
  data: T[];
  iterator: string | null;
  prevIterator?: string | null;
  done: boolean;
}

export interface App {
  id: string;
  uid: string | null;
  name: string;
  /** Set on applications Hookway keeps for itself (operational webhooks, one per inbound source). */
  internal?: 'operational-webhooks' | 'inbound-source' | null;
  rateLimit: number | null;
  metadata: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

export interface EventType {
  name: string;
  description: string;
  archived: boolean;
  deprecated: boolean;
  schemas: Record<string, unknown> | null;
  createdAt: string;
  updatedAt: string;
}

export const FORMATS = ENDPOINT_FORMATS;
export type { EndpointFormat };
export type EndpointStatus = 'healthy' | 'failing' | 'disabled';

/** An endpoint as the API returns it: the SDK's wire type, with the formats this dashboard offers. */
export interface Endpoint extends Omit<EndpointOut, 'format'> {
  format: EndpointFormat;
}

/** A FIFO endpoint's queue (`GET …/endpoint/{id}/fifo`). */
export type FifoQueue = FifoQueueOut;

/** One endpoint in a message's delivery list; `filterError` when its filter failed on the message. */
export type Destination = AttemptedDestinationOut;

export interface EndpointHeaders {
  headers: Record<string, string>;
  sensitive: string[];
}

export type DeliveryCounts = DeliveryCountsOut;

export interface AttemptCounts {
  total: number;
  succeeded: number;
  failed: number;
  byErrorKind: Record<string, number>;
}

/** Svix's fields (deliveries by status) plus Hookway's window stats, over one window. */
export interface EndpointStats extends WindowStats {
  success: number;
  pending: number;
  sending: number;
  fail: number;
}

export type { MessageDeliveryStatus } from '../core/delivery-state';

export interface Message {
  id: string;
  eventId: string | null;
  eventType: string;
  payload?: unknown;
  channels: string[] | null;
  tags?: string[] | null;
  timestamp: string;
  deliveryStatus?: MessageDeliveryStatus;
  deliveries?: DeliveryCounts;
}

export interface Attempt {
  id: string;
  msgId: string;
  endpointId: string;
  url: string;
  status: number;
  responseStatusCode: number;
  response: string;
  responseDurationMs: number;
  timestamp: string;
  /** 0 scheduled, 1 manual (a replay). */
  triggerType: number;
  requestHeaders?: Record<string, string> | null;
  requestBody?: string | null;
  responseHeaders?: Record<string, string> | null;
  errorKind?: string | null;
  errorDetail?: string | null;
  parentId?: string | null;
  appId?: string;
  eventType?: string | null;
  /** Delivery log rows only. */
  appName?: string | null;
  endpointUid?: string | null;
}

export interface Task {
  id: string;
  status: 'running' | 'finished' | 'failed';
  total?: number;
  done?: number;
  failed?: number;
}

export interface FailingEndpoint {
  appId: string;
  appName: string | null;
  endpointId: string;
  endpointUid: string | null;
  url: string;
  state: 'retrying' | 'exhausted';
  consecutiveFailures: number;
  lastFailureAt: string | null;
  lastError: { errorKind: string; errorDetail: string | null; responseStatusCode: number } | null;
}

/** Stats over a window: deliveries created in it by state, attempts made in it by outcome. */
export interface WindowStats {
  since: string;
  until: string;
  deliveries: DeliveryCounts;
  attempts: AttemptCounts;
  /** Successful attempts over all attempts; null when nothing was tried. */
  successRate: number | null;
  avgDurationMs: number | null;
  p95DurationMs: number | null;
  queueDepth: number;
  failingEndpoints: FailingEndpoint[];
  series: SeriesPoint[];
}

export interface Overview extends WindowStats {
  inbound24h: number;
}

/** Attempts in one bucket. */
export interface SeriesPoint {
  t: string;
  succeeded: number;
  failed: number;
}

export interface WhoAmI {
  scopes: string[];
  appId?: string | null;
}

export interface Source {
  id: string;
  uid: string | null;
  name: string;
  /** The name svix@1 knows (Hookway's own types answer generic-webhook); hookwayType is the real one. */
  type: string;
  hookwayType?: string;
  config: Record<string, unknown>;
  ingestUrl: string;
  createdAt: string;
  updatedAt: string;
}

export type InboundStatus = 'received' | 'forwarded' | 'processed' | 'unhandled' | 'error';
export const INBOUND_STATUSES: InboundStatus[] = ['received', 'forwarded', 'processed', 'unhandled', 'error'];

export interface InboundEvent {
  id: string;
  eventId: string | null;
  eventType: string | null;
  status: InboundStatus;
  receivedAt: string;
  error: string | null;
  attempts: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface RejectedRequest {
  id: string;
  reason: string;
  receivedAt: string;
  headers: Record<string, string>;
}

export interface SourceStats {
  total_events: number;
  events_by_type: Record<string, number>;
  events_by_status: Record<string, number>;
  recent_events_24h: number;
}
