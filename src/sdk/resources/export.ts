import { path as p } from '../http.js';
import { q, Resource } from './resource.js';

export class Export extends Resource {
  /** Streams an application's `attempts` or `messages` as CSV or NDJSON; read `response.body`. */
  app(
    appId: string,
    kind: 'attempts' | 'messages',
    options: { format?: 'csv' | 'ndjson'; since?: string; until?: string } = {},
  ): Promise<Response> {
    return this.http.raw('GET', p`/api/v1/app/${appId}/export/${kind}`, {
      query: q(options),
      headers: { accept: '*/*' },
    });
  }
  inboundEvents(options: { format?: 'csv' | 'ndjson'; since?: string; until?: string } = {}): Promise<Response> {
    return this.http.raw('GET', '/api/v1/export/inbound-events', { query: q(options), headers: { accept: '*/*' } });
  }
}
