import { HookwayApiError, type Http, path as p } from '../http.js';
import type { Json, ListOptions, ListResponse } from '../types.js';
import { InboundEvents } from './inbound-events.js';
import { IngestEndpoints } from './ingest-endpoints.js';
import { type PostOptions, q, Resource } from './resource.js';

export class Sources extends Resource {
  readonly endpoint: IngestEndpoints;
  readonly event: InboundEvents;
  constructor(http: Http) {
    super(http);
    this.endpoint = new IngestEndpoints(http);
    this.event = new InboundEvents(http);
  }
  list(options?: ListOptions): Promise<ListResponse<Json>> {
    return this.http.request('GET', '/ingest/api/v1/source', { query: q(options) });
  }
  create(body: Json, options: PostOptions = {}): Promise<Json> {
    return this.http.request('POST', '/ingest/api/v1/source', { body, idempotencyKey: options.idempotencyKey });
  }
  get(sourceId: string): Promise<Json> {
    return this.http.request('GET', p`/ingest/api/v1/source/${sourceId}`);
  }
  /** The server-sent events stream `hookway listen --source` reads; the caller consumes the body. */
  stream(sourceId: string, options: { after?: string; signal?: AbortSignal } = {}): Promise<Response> {
    return this.http.raw('GET', p`/ingest/api/v1/source/${sourceId}/stream`, {
      query: { after: options.after },
      headers: { accept: 'text/event-stream' },
      signal: options.signal,
    });
  }
  update(sourceId: string, body: Json): Promise<Json> {
    return this.http.request('PUT', p`/ingest/api/v1/source/${sourceId}`, { body });
  }
  delete(sourceId: string): Promise<void> {
    return this.http.request('DELETE', p`/ingest/api/v1/source/${sourceId}`);
  }
  /** A new ingest URL; the old one stops working. */
  rotateToken(sourceId: string): Promise<{ ingestUrl: string }> {
    return this.http.request('POST', p`/ingest/api/v1/source/${sourceId}/token/rotate`);
  }
  getStats(sourceId: string): Promise<Json> {
    return this.http.request('GET', p`/ingest/api/v1/source/${sourceId}/stats`);
  }
  /** Requests refused before storage (bad signature, too large...). */
  listRejected(sourceId: string, options?: ListOptions): Promise<ListResponse<Json>> {
    return this.http.request('GET', p`/ingest/api/v1/source/${sourceId}/rejected`, { query: q(options) });
  }
  /**
   * What a provider does: POST a webhook to the source's receiving route
   * (`/in/{source_id}`, no bearer token; the provider's signature is checked).
   * For tests and replays of captured requests.
   */
  async receive(sourceIdOrIngestPath: string, body: string, headers: Record<string, string>): Promise<Json> {
    const route = sourceIdOrIngestPath.startsWith('/') ? sourceIdOrIngestPath : p`/in/${sourceIdOrIngestPath}`;
    const res = await fetch(this.http.url(route), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    const text = await res.text();
    const parsed = text ? (JSON.parse(text) as Json) : {};
    if (!res.ok)
      throw new HookwayApiError(res.status, String(parsed.code ?? `http_${res.status}`), String(parsed.detail ?? text));
    return parsed;
  }
}
