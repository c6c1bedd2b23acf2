import type { Json, ListOptions, ListResponse } from '../types.js';
import { q, Resource } from './resource.js';

export class Audit extends Resource {
  list(options?: ListOptions & { key_id?: string; app_id?: string }): Promise<ListResponse<Json>> {
    return this.http.request('GET', '/api/v1/audit', { query: q(options) });
  }
}
