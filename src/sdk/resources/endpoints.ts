import { path as p } from '../http.js';
import type {
  BackgroundTaskOut,
  EndpointHeadersOut,
  EndpointIn,
  EndpointOut,
  EndpointSecretOut,
  FifoQueueOut,
  FilterTestIn,
  FilterTestOut,
  Json,
  ListOptions,
  ListResponse,
  MessageOut,
} from '../types.js';
import { type PostOptions, q, Resource } from './resource.js';

export class Endpoints extends Resource {
  list(appId: string, options?: ListOptions): Promise<ListResponse<EndpointOut>> {
    return this.http.request('GET', p`/api/v1/app/${appId}/endpoint`, { query: q(options) });
  }
  create(appId: string, body: EndpointIn, options: PostOptions = {}): Promise<EndpointOut> {
    return this.http.request('POST', p`/api/v1/app/${appId}/endpoint`, {
      body,
      idempotencyKey: options.idempotencyKey,
    });
  }
  get(appId: string, endpointId: string): Promise<EndpointOut> {
    return this.http.request('GET', p`/api/v1/app/${appId}/endpoint/${endpointId}`);
  }
  update(appId: string, endpointId: string, body: EndpointIn): Promise<EndpointOut> {
    return this.http.request('PUT', p`/api/v1/app/${appId}/endpoint/${endpointId}`, { body });
  }
  patch(appId: string, endpointId: string, body: Partial<EndpointIn>): Promise<EndpointOut> {
    return this.http.request('PATCH', p`/api/v1/app/${appId}/endpoint/${endpointId}`, { body });
  }
  delete(appId: string, endpointId: string): Promise<void> {
    return this.http.request('DELETE', p`/api/v1/app/${appId}/endpoint/${endpointId}`);
  }
  /** A FIFO endpoint's queue: what is at its head (and whether it holds the rest), and how many wait. */
  getFifoQueue(appId: string, endpointId: string): Promise<FifoQueueOut> {
    return this.http.request('GET', p`/api/v1/app/${appId}/endpoint/${endpointId}/fifo`);
  }
  /** Evaluates a payload filter against a sample message without saving anything. */
  testFilter(body: FilterTestIn): Promise<FilterTestOut> {
    return this.http.request('POST', '/api/v1/filter/test', { body });
  }
  getSecret(appId: string, endpointId: string): Promise<EndpointSecretOut> {
    return this.http.request('GET', p`/api/v1/app/${appId}/endpoint/${endpointId}/secret`);
  }
  rotateSecret(appId: string, endpointId: string, body: { key?: string | null } = {}): Promise<void> {
    return this.http.request('POST', p`/api/v1/app/${appId}/endpoint/${endpointId}/secret/rotate`, { body });
  }
  getHeaders(appId: string, endpointId: string): Promise<EndpointHeadersOut> {
    return this.http.request('GET', p`/api/v1/app/${appId}/endpoint/${endpointId}/headers`);
  }
  updateHeaders(appId: string, endpointId: string, body: { headers: Record<string, string> }): Promise<void> {
    return this.http.request('PUT', p`/api/v1/app/${appId}/endpoint/${endpointId}/headers`, { body });
  }
  patchHeaders(appId: string, endpointId: string, body: { headers: Record<string, string | null> }): Promise<void> {
    return this.http.request('PATCH', p`/api/v1/app/${appId}/endpoint/${endpointId}/headers`, { body });
  }
  getStats(appId: string, endpointId: string, options: { since?: string; until?: string } = {}): Promise<Json> {
    return this.http.request('GET', p`/api/v1/app/${appId}/endpoint/${endpointId}/stats`, { query: q(options) });
  }
  sendExample(appId: string, endpointId: string, body: { eventType: string }): Promise<MessageOut> {
    return this.http.request('POST', p`/api/v1/app/${appId}/endpoint/${endpointId}/send-example`, { body });
  }
  /** Resends every failed delivery since `since`; answers a background task to poll. */
  recover(appId: string, endpointId: string, body: { since: string; until?: string }): Promise<BackgroundTaskOut> {
    return this.http.request('POST', p`/api/v1/app/${appId}/endpoint/${endpointId}/recover`, { body });
  }
  /** Sends the messages since `since` that were never attempted on this endpoint. */
  replayMissing(
    appId: string,
    endpointId: string,
    body: { since: string; until?: string },
  ): Promise<BackgroundTaskOut> {
    return this.http.request('POST', p`/api/v1/app/${appId}/endpoint/${endpointId}/replay-missing`, { body });
  }
  /** The endpoint's transformation (admin keys only): `{code, enabled, updatedAt}`. */
  transformationGet(
    appId: string,
    endpointId: string,
  ): Promise<{ code: string | null; enabled: boolean; updatedAt: string }> {
    return this.http.request('GET', p`/api/v1/app/${appId}/endpoint/${endpointId}/transformation`);
  }
  /** Sets (`code`) or removes (`enabled: false`) the transformation; admin keys only. */
  patchTransformation(
    appId: string,
    endpointId: string,
    body: { code?: string | null; enabled?: boolean },
  ): Promise<void> {
    return this.http.request('PATCH', p`/api/v1/app/${appId}/endpoint/${endpointId}/transformation`, { body });
  }
  /** The server-sent events stream `hookway listen` reads; the caller consumes the body. */
  stream(appId: string, endpointId: string, options: { after?: string; signal?: AbortSignal } = {}): Promise<Response> {
    return this.http.raw('GET', p`/api/v1/app/${appId}/endpoint/${endpointId}/stream`, {
      query: { after: options.after },
      headers: { accept: 'text/event-stream' },
      signal: options.signal,
    });
  }
}
