import { path as p } from '../http.js';
import type { EndpointHeadersOut, EndpointSecretOut, Json, ListOptions, ListResponse } from '../types.js';
import { q, Resource } from './resource.js';

/** Endpoints that receive Hookway's own events (endpoint disabled, delivery exhausted...). */
export class OperationalWebhooks extends Resource {
  private at(_ids: string[], suffix = ''): string {
    return `/api/v1/operational-webhook/endpoint${suffix}`;
  }
  list(options?: ListOptions): Promise<ListResponse<Json>> {
    return this.http.request('GET', this.at([]), { query: q(options) });
  }
  create(body: Json): Promise<Json> {
    return this.http.request('POST', this.at([]), { body });
  }
  get(endpointId: string): Promise<Json> {
    return this.http.request('GET', this.at([], p`/${endpointId}`));
  }
  update(endpointId: string, body: Json): Promise<Json> {
    return this.http.request('PUT', this.at([], p`/${endpointId}`), { body });
  }
  delete(endpointId: string): Promise<void> {
    return this.http.request('DELETE', this.at([], p`/${endpointId}`));
  }
  getSecret(endpointId: string): Promise<EndpointSecretOut> {
    return this.http.request('GET', this.at([], p`/${endpointId}/secret`));
  }
  rotateSecret(endpointId: string, body: { key?: string | null } = {}): Promise<void> {
    return this.http.request('POST', this.at([], p`/${endpointId}/secret/rotate`), { body });
  }
  getHeaders(endpointId: string): Promise<EndpointHeadersOut> {
    return this.http.request('GET', this.at([], p`/${endpointId}/headers`));
  }
  updateHeaders(endpointId: string, body: { headers: Record<string, string> }): Promise<void> {
    return this.http.request('PUT', this.at([], p`/${endpointId}/headers`), { body });
  }
}
