import { path as p } from '../http.js';
import type { ApplicationIn, ApplicationOut, ListOptions, ListResponse } from '../types.js';
import { type PostOptions, q, Resource } from './resource.js';

export class Applications extends Resource {
  list(options?: ListOptions): Promise<ListResponse<ApplicationOut>> {
    return this.http.request('GET', '/api/v1/app', { query: q(options) });
  }
  create(body: ApplicationIn, options: PostOptions & { getIfExists?: boolean } = {}): Promise<ApplicationOut> {
    return this.http.request('POST', '/api/v1/app', {
      body,
      query: { get_if_exists: options.getIfExists },
      idempotencyKey: options.idempotencyKey,
    });
  }
  /** Svix's getOrCreate: answers the existing application when `uid` is taken. */
  getOrCreate(body: ApplicationIn, options: PostOptions = {}): Promise<ApplicationOut> {
    return this.create(body, { ...options, getIfExists: true });
  }
  get(appId: string): Promise<ApplicationOut> {
    return this.http.request('GET', p`/api/v1/app/${appId}`);
  }
  update(appId: string, body: ApplicationIn): Promise<ApplicationOut> {
    return this.http.request('PUT', p`/api/v1/app/${appId}`, { body });
  }
  patch(appId: string, body: Partial<ApplicationIn>): Promise<ApplicationOut> {
    return this.http.request('PATCH', p`/api/v1/app/${appId}`, { body });
  }
  delete(appId: string): Promise<void> {
    return this.http.request('DELETE', p`/api/v1/app/${appId}`);
  }
}
