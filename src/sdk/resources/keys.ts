import { path as p } from '../http.js';
import type { Json, ListOptions, ListResponse } from '../types.js';
import { q, Resource } from './resource.js';

export class Keys extends Resource {
  list(options?: ListOptions): Promise<ListResponse<Json>> {
    return this.http.request('GET', '/api/v1/auth/keys', { query: q(options) });
  }
  /** Scopes: `admin`, `app:<app_id>`, `ingest:<source_id>`, `read-only`... The token is answered once. */
  create(body: { name: string; scopes: string[]; expiresAt?: string | null }): Promise<Json & { token: string }> {
    return this.http.request('POST', '/api/v1/auth/keys', { body });
  }
  get(keyId: string): Promise<Json> {
    return this.http.request('GET', p`/api/v1/auth/keys/${keyId}`);
  }
  revoke(keyId: string): Promise<void> {
    return this.http.request('DELETE', p`/api/v1/auth/keys/${keyId}`);
  }
}
