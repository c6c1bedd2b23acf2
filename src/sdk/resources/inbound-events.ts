import { path as p } from '../http.js';
import type { Json, ListOptions, ListResponse } from '../types.js';
import { q, Resource } from './resource.js';

export class InboundEvents extends Resource {
  /** Filters: `type`, `status` (received, processed, forwarded, unhandled, error), `since`; `limit` up to 500. */
  list(
    sourceId: string,
    options?: ListOptions & { type?: string; status?: string; since?: string; offset?: number },
  ): Promise<ListResponse<Json>> {
    return this.http.request('GET', p`/ingest/api/v1/source/${sourceId}/event`, { query: q(options) });
  }
  /** One inbound event with its raw body and (redacted) headers. */
  get(sourceId: string, inboundEventId: string): Promise<Json> {
    return this.http.request('GET', p`/ingest/api/v1/source/${sourceId}/event/${inboundEventId}`);
  }
  reprocess(sourceId: string, inboundEventId: string): Promise<Json> {
    return this.http.request('POST', p`/ingest/api/v1/source/${sourceId}/event/${inboundEventId}/reprocess`);
  }
  /** Reprocesses the events in a status (default `error`) since a time. */
  reprocessAll(sourceId: string, body: { status?: string; since?: string } = {}): Promise<Json> {
    return this.http.request('POST', p`/ingest/api/v1/source/${sourceId}/reprocess`, { body });
  }
}
