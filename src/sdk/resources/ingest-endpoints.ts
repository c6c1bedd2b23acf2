import { path as p } from '../http.js';
import type { EndpointHeadersOut, EndpointSecretOut, Json, ListOptions, ListResponse } from '../types.js';
import { q, Resource } from './resource.js';

/** Ingest endpoints: where a source forwards its verified events (`hw.source.endpoint`). */
export class IngestEndpoints extends Resource {
  private base(sourceId: string): string {
    return p`/ingest/api/v1/source/${sourceId}/endpoint`;
  }
  list(sourceId: string, options?: ListOptions): Promise<ListResponse<Json>> {
    return this.http.request('GET', this.base(sourceId), { query: q(options) });
  }
  create(sourceId: string, body: Json): Promise<Json> {
    return this.http.request('POST', this.base(sourceId), { body });
  }
  get(sourceId: string, endpointId: string): Promise<Json> {
    return this.http.request('GET', this.base(sourceId) + p`/${endpointId}`);
  }
  update(sourceId: string, endpointId: string, body: Json): Promise<Json> {
    return this.http.request('PUT', this.base(sourceId) + p`/${endpointId}`, { body });
  }
  patch(sourceId: string, endpointId: string, body: Json): Promise<Json> {
    return this.http.request('PATCH', this.base(sourceId) + p`/${endpointId}`, { body });
  }
  delete(sourceId: string, endpointId: string): Promise<void> {
    return this.http.request('DELETE', this.base(sourceId) + p`/${endpointId}`);
  }
  getSecret(sourceId: string, endpointId: string): Promise<EndpointSecretOut> {
    return this.http.request('GET', this.base(sourceId) + p`/${endpointId}/secret`);
  }
  rotateSecret(sourceId: string, endpointId: string, body: { key?: string | null } = {}): Promise<void> {
    return this.http.request('POST', this.base(sourceId) + p`/${endpointId}/secret/rotate`, { body });
  }
  getHeaders(sourceId: string, endpointId: string): Promise<EndpointHeadersOut> {
    return this.http.request('GET', this.base(sourceId) + p`/${endpointId}/headers`);
  }
  updateHeaders(sourceId: string, endpointId: string, body: { headers: Record<string, string> }): Promise<void> {
    return this.http.request('PUT', this.base(sourceId) + p`/${endpointId}/headers`, { body });
  }
}
