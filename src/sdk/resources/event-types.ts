import { path as p } from '../http.js';
import type { EventTypeIn, EventTypeOut, ListOptions, ListResponse } from '../types.js';
import { type PostOptions, q, Resource } from './resource.js';

export class EventTypes extends Resource {
  list(
    options?: ListOptions & { include_archived?: boolean; with_content?: boolean },
  ): Promise<ListResponse<EventTypeOut>> {
    return this.http.request('GET', '/api/v1/event-type', { query: q(options) });
  }
  create(body: EventTypeIn, options: PostOptions = {}): Promise<EventTypeOut> {
    return this.http.request('POST', '/api/v1/event-type', { body, idempotencyKey: options.idempotencyKey });
  }
  get(name: string): Promise<EventTypeOut> {
    return this.http.request('GET', p`/api/v1/event-type/${name}`);
  }
  update(name: string, body: Omit<EventTypeIn, 'name'>): Promise<EventTypeOut> {
    return this.http.request('PUT', p`/api/v1/event-type/${name}`, { body });
  }
  patch(name: string, body: Partial<Omit<EventTypeIn, 'name'>>): Promise<EventTypeOut> {
    return this.http.request('PATCH', p`/api/v1/event-type/${name}`, { body });
  }
  delete(name: string, options: { expunge?: boolean } = {}): Promise<void> {
    return this.http.request('DELETE', p`/api/v1/event-type/${name}`, { query: q(options) });
  }
}
