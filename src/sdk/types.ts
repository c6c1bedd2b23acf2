/**
 * The JSON shapes of the API (Svix v1 names plus Hookway extensions). Times
 * are ISO 8601 strings. Words as in the glossary (src/core/types.ts).
 */
import type { EndpointFormat } from '../core/formats.js';

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
  headers?: Record<string, string> | null;
  timeoutMs?: number | null;
  retrySchedule?: number[] | null;
  /** One of the endpoint formats; `seed002`, `seed003` and `seed004` are accepted as earlier names of the HMAC presets. */
  format?: EndpointFormat | 'seed002' | 'seed003' | 'seed004';
  transformation?: string | null;
  /** CEL expression over `payload`, `eventType` and `channels` (see docs/filters.md). */
  filter?: string | null;
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
  status: 'healthy' | 'failing' | 'disabled';
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
}

export interface MessageListOptions extends ListOptions {
  event_types?: string[];
  channel?: string;
  tag?: string;
  before?: string;
  after?: string;
  with_content?: boolean;
}

/** 0 success, 1 pending, 2 fail, 3 sending (Svix's MessageStatus). */
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
