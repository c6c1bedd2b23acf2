import { path as p } from '../http.js';
import type { Json } from '../types.js';
import { q, Resource } from './resource.js';

type Window = { since?: string; until?: string; event_type?: string };

export class Stats extends Resource {
  /** Delivery stats over a window, for every application. */
  overview(options: Window = {}): Promise<Json> {
    return this.http.request('GET', '/api/v1/stats/overview', { query: q(options) });
  }
  app(appId: string, options: Window = {}): Promise<Json> {
    return this.http.request('GET', p`/api/v1/app/${appId}/stats`, { query: q(options) });
  }
}
