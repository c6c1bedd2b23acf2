import { Http, type HttpOptions, path as p, type Query, type RequestOptions } from './http.js';
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
  'GET /api/v1/app/{}/endpoint/{}/stream': 'endpoint.stream',
  'GET /api/v1/app/{}/msg': 'message.list',
  'POST /api/v1/app/{}/msg': 'message.create',
  'GET /api/v1/app/{}/msg/{}': 'message.get',
  'GET /api/v1/app/{}/attempt/endpoint/{}': 'messageAttempt.listByEndpoint',
  'GET /api/v1/app/{}/attempt/msg/{}': 'messageAttempt.listByMsg',
  'GET /api/v1/app/{}/msg/{}/attempt/{}': 'messageAttempt.get',
  'GET /api/v1/app/{}/msg/{}/endpoint': 'messageAttempt.listAttemptedDestinations',
  'POST /api/v1/app/{}/msg/{}/endpoint/{}/resend': 'messageAttempt.resend',
  'GET /api/v1/app/{}/export/attempts': 'export.attempts',
  'GET /api/v1/background-task': 'backgroundTask.list',
  'GET /api/v1/background-task/{}': 'backgroundTask.get',
  'GET /api/v1/stats': 'stats.get',
  'GET /api/v1/app/{}/stats': 'stats.app',
  'POST /api/v1/auth/app-portal-access/{}': 'authentication.appPortalAccess',
  'GET /api/v1/auth/keys': 'keys.list',
  'POST /api/v1/auth/keys': 'keys.create',
  'DELETE /api/v1/auth/keys/{}': 'keys.revoke',
  'GET /ingest/api/v1/source': 'source.list',
  'POST /ingest/api/v1/source': 'source.create',
  'GET /ingest/api/v1/source/{}': 'source.get',
  'PUT /ingest/api/v1/source/{}': 'source.update',
  'PATCH /ingest/api/v1/source/{}': 'source.patch',
  'DELETE /ingest/api/v1/source/{}': 'source.delete',
  'GET /ingest/api/v1/source/{}/endpoint': 'source.listEndpoints',
  'POST /ingest/api/v1/source/{}/endpoint': 'source.createEndpoint',
  'GET /ingest/api/v1/source/{}/endpoint/{}': 'source.getEndpoint',
  'PUT /ingest/api/v1/source/{}/endpoint/{}': 'source.updateEndpoint',
  'DELETE /ingest/api/v1/source/{}/endpoint/{}': 'source.deleteEndpoint',
  'GET /ingest/api/v1/source/{}/stats': 'source.getStats',
  'GET /ingest/api/v1/source/{}/stream': 'source.stream',
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
  list(options?: ListOptions & { include_archived?: boolean; with_content?: boolean }): Promise<
    ListResponse<EventTypeOut>
  > {
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
  /** Streams attempts as CSV or NDJSON; the caller reads `response.body`. */
  attempts(
    appId: string,
    options: { format?: 'csv' | 'ndjson'; endpoint_id?: string; since?: string; until?: string } = {},
  ): Promise<Response> {
    return this.http.raw('GET', p`/api/v1/app/${appId}/export/attempts`, {
      query: q(options),
      headers: { accept: '*/*' },
    });
  }
}

class BackgroundTasks extends Resource {
  list(options?: ListOptions): Promise<ListResponse<BackgroundTaskOut>> {
    return this.http.request('GET', '/api/v1/background-task', { query: q(options) });
  }
  get(taskId: string): Promise<BackgroundTaskOut> {
    return this.http.request('GET', p`/api/v1/background-task/${taskId}`);
  }
}

class Stats extends Resource {
  get(options: { since?: string; until?: string } = {}): Promise<Json> {
    return this.http.request('GET', '/api/v1/stats', { query: q(options) });
  }
  app(appId: string, options: { since?: string; until?: string } = {}): Promise<Json> {
    return this.http.request('GET', p`/api/v1/app/${appId}/stats`, { query: q(options) });
  }
}

class Authentication extends Resource {
  appPortalAccess(appId: string, body: Json = {}): Promise<{ url: string; token: string }> {
    return this.http.request('POST', p`/api/v1/auth/app-portal-access/${appId}`, { body });
  }
}

class Keys extends Resource {
  list(): Promise<ListResponse<Json> | Json[]> {
    return this.http.request('GET', '/api/v1/auth/keys');
  }
  create(body: { name: string; scopes?: string[]; expiresAt?: string | null }): Promise<Json & { token?: string }> {
    return this.http.request('POST', '/api/v1/auth/keys', { body });
  }
  revoke(keyId: string): Promise<void> {
    return this.http.request('DELETE', p`/api/v1/auth/keys/${keyId}`);
  }
}

class Sources extends Resource {
  list(options?: ListOptions): Promise<ListResponse<Json>> {
    return this.http.request('GET', '/ingest/api/v1/source', { query: q(options) });
  }
  create(body: Json, options: PostOptions = {}): Promise<Json> {
    return this.http.request('POST', '/ingest/api/v1/source', { body, idempotencyKey: options.idempotencyKey });
  }
  get(sourceId: string): Promise<Json> {
    return this.http.request('GET', p`/ingest/api/v1/source/${sourceId}`);
  }
  update(sourceId: string, body: Json): Promise<Json> {
    return this.http.request('PUT', p`/ingest/api/v1/source/${sourceId}`, { body });
  }
  patch(sourceId: string, body: Json): Promise<Json> {
    return this.http.request('PATCH', p`/ingest/api/v1/source/${sourceId}`, { body });
  }
  delete(sourceId: string): Promise<void> {
    return this.http.request('DELETE', p`/ingest/api/v1/source/${sourceId}`);
  }
  listEndpoints(sourceId: string, options?: ListOptions): Promise<ListResponse<Json>> {
    return this.http.request('GET', p`/ingest/api/v1/source/${sourceId}/endpoint`, { query: q(options) });
  }
  createEndpoint(sourceId: string, body: Json): Promise<Json> {
    return this.http.request('POST', p`/ingest/api/v1/source/${sourceId}/endpoint`, { body });
  }
  getEndpoint(sourceId: string, endpointId: string): Promise<Json> {
    return this.http.request('GET', p`/ingest/api/v1/source/${sourceId}/endpoint/${endpointId}`);
  }
  updateEndpoint(sourceId: string, endpointId: string, body: Json): Promise<Json> {
    return this.http.request('PUT', p`/ingest/api/v1/source/${sourceId}/endpoint/${endpointId}`, { body });
  }
  deleteEndpoint(sourceId: string, endpointId: string): Promise<void> {
    return this.http.request('DELETE', p`/ingest/api/v1/source/${sourceId}/endpoint/${endpointId}`);
  }
  getStats(sourceId: string): Promise<Json> {
    return this.http.request('GET', p`/ingest/api/v1/source/${sourceId}/stats`);
  }
  stream(sourceId: string, options: { after?: string; signal?: AbortSignal } = {}): Promise<Response> {
    return this.http.raw('GET', p`/ingest/api/v1/source/${sourceId}/stream`, {
      query: { after: options.after },
      headers: { accept: 'text/event-stream' },
      signal: options.signal,
    });
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
