import { HookwayApiError, Http, type HttpOptions, path as p, type Query, type RequestOptions } from './http.js';
import type {
  ApplicationIn,
  ApplicationOut,
  AttemptedDestinationOut,
  AttemptListOptions,
  AttemptOut,
  BackgroundTaskOut,
  EndpointHeadersOut,
  EndpointIn,
  EndpointOut,
  EndpointSecretOut,
  EventTypeIn,
  EventTypeOut,
  FifoQueueOut,
  FilterTestIn,
  FilterTestOut,
  Json,
  ListOptions,
  ListResponse,
  MessageIn,
  MessageListOptions,
  MessageOut,
} from './types.js';

/**
 * A typed client for the whole Hookway API, written on /openapi.json. Its
 * shape follows the svix client (`hw.message.create(appId, {...})`) so code
 * moves between the two; Hookway extensions add resources.
 *
 * ROUTES maps every `METHOD path` of the OpenAPI document (path parameters
 * written `{}`) to the method that calls it; test/sdk/coverage.test.ts fails
 * when the server has a route this table does not name.
 */
export const ROUTES: Record<string, string> = {
  'GET /api/v1/health': 'health.get',
  'GET /api/v1/app': 'application.list',
  'POST /api/v1/app': 'application.create',
  'GET /api/v1/app/{}': 'application.get',
  'PUT /api/v1/app/{}': 'application.update',
  'PATCH /api/v1/app/{}': 'application.patch',
  'DELETE /api/v1/app/{}': 'application.delete',
  'GET /api/v1/event-type': 'eventType.list',
  'POST /api/v1/event-type': 'eventType.create',
  'GET /api/v1/event-type/{}': 'eventType.get',
  'PUT /api/v1/event-type/{}': 'eventType.update',
  'PATCH /api/v1/event-type/{}': 'eventType.patch',
  'DELETE /api/v1/event-type/{}': 'eventType.delete',
  'GET /api/v1/app/{}/endpoint': 'endpoint.list',
  'POST /api/v1/app/{}/endpoint': 'endpoint.create',
  'GET /api/v1/app/{}/endpoint/{}': 'endpoint.get',
  'PUT /api/v1/app/{}/endpoint/{}': 'endpoint.update',
  'PATCH /api/v1/app/{}/endpoint/{}': 'endpoint.patch',
  'DELETE /api/v1/app/{}/endpoint/{}': 'endpoint.delete',
  'GET /api/v1/app/{}/endpoint/{}/secret': 'endpoint.getSecret',
  'POST /api/v1/app/{}/endpoint/{}/secret/rotate': 'endpoint.rotateSecret',
  'GET /api/v1/app/{}/endpoint/{}/headers': 'endpoint.getHeaders',
  'PUT /api/v1/app/{}/endpoint/{}/headers': 'endpoint.updateHeaders',
  'PATCH /api/v1/app/{}/endpoint/{}/headers': 'endpoint.patchHeaders',
  'GET /api/v1/app/{}/endpoint/{}/stats': 'endpoint.getStats',
  'POST /api/v1/app/{}/endpoint/{}/send-example': 'endpoint.sendExample',
  'POST /api/v1/app/{}/endpoint/{}/recover': 'endpoint.recover',
  'POST /api/v1/app/{}/endpoint/{}/replay-missing': 'endpoint.replayMissing',
  'POST /api/v1/filter/test': 'endpoint.testFilter',
  'GET /api/v1/app/{}/endpoint/{}/fifo': 'endpoint.getFifoQueue',
  'GET /api/v1/app/{}/endpoint/{}/stream': 'endpoint.stream',
  'GET /api/v1/app/{}/endpoint/{}/transformation': 'endpoint.transformationGet',
  'PATCH /api/v1/app/{}/endpoint/{}/transformation': 'endpoint.patchTransformation',
  'GET /api/v1/app/{}/endpoint/{}/msg': 'messageAttempt.listAttemptedMessages',
  'GET /api/v1/app/{}/msg': 'message.list',
  'POST /api/v1/app/{}/msg': 'message.create',
  'GET /api/v1/app/{}/msg/{}': 'message.get',
  'DELETE /api/v1/app/{}/msg/{}/content': 'message.expungeContent',
  'GET /api/v1/app/{}/attempt/endpoint/{}': 'messageAttempt.listByEndpoint',
  'GET /api/v1/app/{}/attempt/msg/{}': 'messageAttempt.listByMsg',
  'GET /api/v1/app/{}/msg/{}/attempt/{}': 'messageAttempt.get',
  'GET /api/v1/app/{}/attempt': 'messageAttempt.listByApp',
  'GET /api/v1/attempt': 'messageAttempt.listAll',
  'GET /api/v1/app/{}/msg/{}/endpoint': 'messageAttempt.listAttemptedDestinations',
  'POST /api/v1/app/{}/msg/{}/endpoint/{}/resend': 'messageAttempt.resend',
  'GET /api/v1/app/{}/export/{}': 'export.app',
  'GET /api/v1/export/inbound-events': 'export.inboundEvents',
  'GET /api/v1/background-task': 'backgroundTask.list',
  'GET /api/v1/background-task/{}': 'backgroundTask.get',
  'GET /api/v1/task': 'backgroundTask.list',
  'GET /api/v1/task/{}': 'backgroundTask.get',
  'GET /api/v1/stats/overview': 'stats.overview',
  'GET /api/v1/app/{}/stats': 'stats.app',
  'POST /api/v1/auth/app-portal-access/{}': 'authentication.appPortalAccess',
  'POST /api/v1/auth/app/{}/expire-all': 'authentication.expireAll',
  'POST /api/v1/auth/logout': 'authentication.logout',
  'GET /api/v1/auth/whoami': 'authentication.whoami',
  'GET /api/v1/auth/keys': 'keys.list',
  'POST /api/v1/auth/keys': 'keys.create',
  'GET /api/v1/auth/keys/{}': 'keys.get',
  'DELETE /api/v1/auth/keys/{}': 'keys.revoke',
  'POST /api/v1/auth/keys/{}/revoke': 'keys.revoke',
  'GET /api/v1/audit': 'audit.list',
  'GET /api/v1/operational-webhook/endpoint': 'operationalWebhook.list',
  'POST /api/v1/operational-webhook/endpoint': 'operationalWebhook.create',
  'GET /api/v1/operational-webhook/endpoint/{}': 'operationalWebhook.get',
  'PUT /api/v1/operational-webhook/endpoint/{}': 'operationalWebhook.update',
  'DELETE /api/v1/operational-webhook/endpoint/{}': 'operationalWebhook.delete',
  'GET /api/v1/operational-webhook/endpoint/{}/secret': 'operationalWebhook.getSecret',
  'POST /api/v1/operational-webhook/endpoint/{}/secret/rotate': 'operationalWebhook.rotateSecret',
  'GET /api/v1/operational-webhook/endpoint/{}/headers': 'operationalWebhook.getHeaders',
  'PUT /api/v1/operational-webhook/endpoint/{}/headers': 'operationalWebhook.updateHeaders',
  'GET /ingest/api/v1/source': 'source.list',
  'POST /ingest/api/v1/source': 'source.create',
  'GET /ingest/api/v1/source/{}': 'source.get',
  'GET /ingest/api/v1/source/{}/stream': 'source.stream',
  'PUT /ingest/api/v1/source/{}': 'source.update',
  'DELETE /ingest/api/v1/source/{}': 'source.delete',
  'POST /ingest/api/v1/source/{}/token/rotate': 'source.rotateToken',
  'GET /ingest/api/v1/source/{}/endpoint': 'source.endpoint.list',
  'POST /ingest/api/v1/source/{}/endpoint': 'source.endpoint.create',
  'GET /ingest/api/v1/source/{}/endpoint/{}': 'source.endpoint.get',
  'PUT /ingest/api/v1/source/{}/endpoint/{}': 'source.endpoint.update',
  'PATCH /ingest/api/v1/source/{}/endpoint/{}': 'source.endpoint.patch',
  'DELETE /ingest/api/v1/source/{}/endpoint/{}': 'source.endpoint.delete',
  'GET /ingest/api/v1/source/{}/endpoint/{}/secret': 'source.endpoint.getSecret',
  'POST /ingest/api/v1/source/{}/endpoint/{}/secret/rotate': 'source.endpoint.rotateSecret',
  'GET /ingest/api/v1/source/{}/endpoint/{}/headers': 'source.endpoint.getHeaders',
  'PUT /ingest/api/v1/source/{}/endpoint/{}/headers': 'source.endpoint.updateHeaders',
  'GET /ingest/api/v1/source/{}/event': 'source.event.list',
  'GET /ingest/api/v1/source/{}/event/{}': 'source.event.get',
  'POST /ingest/api/v1/source/{}/event/{}/reprocess': 'source.event.reprocess',
  'POST /ingest/api/v1/source/{}/reprocess': 'source.event.reprocessAll',
  'GET /ingest/api/v1/source/{}/stats': 'source.getStats',
  'GET /ingest/api/v1/source/{}/rejected': 'source.listRejected',
  'POST /in/{}': 'source.receive',
  'GET /metrics': 'metrics.get',
};

/** `/api/v1/app/{app_id}` and `/api/v1/app/:app_id` both become `/api/v1/app/{}`. */
export function routeKey(method: string, route: string): string {
  return `${method.toUpperCase()} ${route.replace(/\{[^}]+\}|:[A-Za-z0-9_]+/g, '{}')}`;
}

type PostOptions = Pick<RequestOptions, 'idempotencyKey'>;

abstract class Resource {
  constructor(protected readonly http: Http) {}
}

function q(options: object | undefined): Query {
  return (options ?? {}) as Query;
}

class Health extends Resource {
  get(): Promise<void> {
    return this.http.request('GET', '/api/v1/health');
  }
}

class Applications extends Resource {
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

class EventTypes extends Resource {
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

class Endpoints extends Resource {
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

class Messages extends Resource {
  list(appId: string, options?: MessageListOptions): Promise<ListResponse<MessageOut>> {
    return this.http.request('GET', p`/api/v1/app/${appId}/msg`, { query: q(options) });
  }
  create(appId: string, body: MessageIn, options: PostOptions & { withContent?: boolean } = {}): Promise<MessageOut> {
    return this.http.request('POST', p`/api/v1/app/${appId}/msg`, {
      body,
      query: { with_content: options.withContent },
      idempotencyKey: options.idempotencyKey,
    });
  }
  get(appId: string, msgId: string, options: { with_content?: boolean } = {}): Promise<MessageOut> {
    return this.http.request('GET', p`/api/v1/app/${appId}/msg/${msgId}`, { query: q(options) });
  }
  /** Deletes the payload of a message (the message and its attempts stay). */
  expungeContent(appId: string, msgId: string): Promise<void> {
    return this.http.request('DELETE', p`/api/v1/app/${appId}/msg/${msgId}/content`);
  }
}

class MessageAttempts extends Resource {
  listByEndpoint(appId: string, endpointId: string, options?: AttemptListOptions): Promise<ListResponse<AttemptOut>> {
    return this.http.request('GET', p`/api/v1/app/${appId}/attempt/endpoint/${endpointId}`, { query: q(options) });
  }
  listByMsg(appId: string, msgId: string, options?: AttemptListOptions): Promise<ListResponse<AttemptOut>> {
    return this.http.request('GET', p`/api/v1/app/${appId}/attempt/msg/${msgId}`, { query: q(options) });
  }
  get(appId: string, msgId: string, attemptId: string): Promise<AttemptOut> {
    return this.http.request('GET', p`/api/v1/app/${appId}/msg/${msgId}/attempt/${attemptId}`);
  }
  /** Hookway: the delivery log of every endpoint of an application, newest first. */
  listByApp(appId: string, options?: AttemptListOptions): Promise<ListResponse<AttemptOut>> {
    return this.http.request('GET', p`/api/v1/app/${appId}/attempt`, { query: q(options) });
  }
  /** Hookway (admin): the delivery log of every application; `app_id` narrows it to one. */
  listAll(options?: AttemptListOptions & { app_id?: string }): Promise<ListResponse<AttemptOut>> {
    return this.http.request('GET', '/api/v1/attempt', { query: q(options) });
  }
  /** The messages sent to one endpoint, each with its delivery's `status` and `nextAttempt`. */
  listAttemptedMessages(
    appId: string,
    endpointId: string,
    options?: MessageListOptions & { status?: number },
  ): Promise<ListResponse<MessageOut & { status: number; statusText: string; nextAttempt: string | null }>> {
    return this.http.request('GET', p`/api/v1/app/${appId}/endpoint/${endpointId}/msg`, { query: q(options) });
  }
  listAttemptedDestinations(
    appId: string,
    msgId: string,
    options?: ListOptions,
  ): Promise<ListResponse<AttemptedDestinationOut>> {
    return this.http.request('GET', p`/api/v1/app/${appId}/msg/${msgId}/endpoint`, { query: q(options) });
  }
  resend(appId: string, msgId: string, endpointId: string): Promise<void> {
    return this.http.request('POST', p`/api/v1/app/${appId}/msg/${msgId}/endpoint/${endpointId}/resend`);
  }
}

class Export extends Resource {
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

class BackgroundTasks extends Resource {
  list(
    options?: ListOptions & { status?: 'running' | 'finished' | 'failed'; task?: string },
  ): Promise<ListResponse<BackgroundTaskOut>> {
    return this.http.request('GET', '/api/v1/background-task', { query: q(options) });
  }
  get(taskId: string): Promise<BackgroundTaskOut> {
    return this.http.request('GET', p`/api/v1/background-task/${taskId}`);
  }
}

type Window = { since?: string; until?: string; event_type?: string };

class Stats extends Resource {
  /** Delivery stats over a window, for every application. */
  overview(options: Window = {}): Promise<Json> {
    return this.http.request('GET', '/api/v1/stats/overview', { query: q(options) });
  }
  app(appId: string, options: Window = {}): Promise<Json> {
    return this.http.request('GET', p`/api/v1/app/${appId}/stats`, { query: q(options) });
  }
}

class Authentication extends Resource {
  appPortalAccess(appId: string, body: Json = {}): Promise<Json & { url: string; token: string }> {
    return this.http.request('POST', p`/api/v1/auth/app-portal-access/${appId}`, { body });
  }
  /** Revokes every portal token of an application. */
  expireAll(appId: string, body: Json = {}): Promise<void> {
    return this.http.request('POST', p`/api/v1/auth/app/${appId}/expire-all`, { body });
  }
  /** Revokes the calling key. */
  logout(): Promise<void> {
    return this.http.request('POST', '/api/v1/auth/logout');
  }
  whoami(): Promise<Json> {
    return this.http.request('GET', '/api/v1/auth/whoami');
  }
}

class Keys extends Resource {
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

class Audit extends Resource {
  list(options?: ListOptions & { key_id?: string; app_id?: string }): Promise<ListResponse<Json>> {
    return this.http.request('GET', '/api/v1/audit', { query: q(options) });
  }
}

class Metrics extends Resource {
  /** Prometheus text exposition. */
  async get(): Promise<string> {
    const res = await this.http.raw('GET', '/metrics', { headers: { accept: 'text/plain' } });
    return res.text();
  }
}

/** Endpoints that receive Hookway's own events (endpoint disabled, delivery exhausted...). */
class OperationalWebhooks extends Resource {
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

class SourceEndpoints extends Resource {
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

class InboundEvents extends Resource {
  /** Filters: `type`, `status` (received, processed, forwarded, unhandled, error), `since`; `limit` up to 500. */
  list(
    sourceId: string,
    options?: ListOptions & { type?: string; status?: string; since?: string; offset?: number },
  ): Promise<ListResponse<Json>> {
    return this.http.request('GET', p`/ingest/api/v1/source/${sourceId}/event`, { query: q(options) });
  }
  /** One inbound event with its raw body and (redacted) headers. */
  get(sourceId: string, eventId: string): Promise<Json> {
    return this.http.request('GET', p`/ingest/api/v1/source/${sourceId}/event/${eventId}`);
  }
  reprocess(sourceId: string, eventId: string): Promise<Json> {
    return this.http.request('POST', p`/ingest/api/v1/source/${sourceId}/event/${eventId}/reprocess`);
  }
  /** Reprocesses the events in a status (default `error`) since a time. */
  reprocessAll(sourceId: string, body: { status?: string; since?: string } = {}): Promise<Json> {
    return this.http.request('POST', p`/ingest/api/v1/source/${sourceId}/reprocess`, { body });
  }
}

class Sources extends Resource {
  readonly endpoint: SourceEndpoints;
  readonly event: InboundEvents;
  constructor(http: Http) {
    super(http);
    this.endpoint = new SourceEndpoints(http);
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

export interface HookwayOptions extends Partial<Omit<HttpOptions, 'token'>> {}

export class Hookway {
  readonly health: Health;
  readonly application: Applications;
  readonly eventType: EventTypes;
  readonly endpoint: Endpoints;
  readonly message: Messages;
  readonly messageAttempt: MessageAttempts;
  readonly export: Export;
  readonly backgroundTask: BackgroundTasks;
  readonly stats: Stats;
  readonly authentication: Authentication;
  readonly keys: Keys;
  readonly audit: Audit;
  readonly operationalWebhook: OperationalWebhooks;
  readonly metrics: Metrics;
  readonly source: Sources;
  /** For a route this client does not name yet: `hw.http.request('GET', '/api/v1/...')`. */
  readonly http: Http;

  /** Same call shape as `new Svix(token, { serverUrl })`. */
  constructor(token: string, options: HookwayOptions = {}) {
    this.http = new Http({ ...options, token, serverUrl: options.serverUrl ?? 'http://127.0.0.1:8040' });
    this.health = new Health(this.http);
    this.application = new Applications(this.http);
    this.eventType = new EventTypes(this.http);
    this.endpoint = new Endpoints(this.http);
    this.message = new Messages(this.http);
    this.messageAttempt = new MessageAttempts(this.http);
    this.export = new Export(this.http);
    this.backgroundTask = new BackgroundTasks(this.http);
    this.stats = new Stats(this.http);
    this.authentication = new Authentication(this.http);
    this.keys = new Keys(this.http);
    this.audit = new Audit(this.http);
    this.operationalWebhook = new OperationalWebhooks(this.http);
    this.metrics = new Metrics(this.http);
    this.source = new Sources(this.http);
  }
}

/**
 * Walks every page of a list: `for await (const a of paginate((it) => hw.message.list(app, { iterator: it })))`.
 * One page is held in memory at a time.
 */
export async function* paginate<T>(
  list: (iterator: string | undefined) => Promise<ListResponse<T>>,
): AsyncGenerator<T, void, undefined> {
  let iterator: string | undefined;
  for (;;) {
    const page = await list(iterator);
    yield* page.data;
    if (page.done || !page.iterator || page.data.length === 0) return;
    iterator = page.iterator;
  }
}
