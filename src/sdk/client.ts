import { Http, type HttpOptions } from './http.js';
import { Applications } from './resources/applications.js';
import { Audit } from './resources/audit.js';
import { Authentication } from './resources/authentication.js';
import { BackgroundTasks } from './resources/background-tasks.js';
import { Endpoints } from './resources/endpoints.js';
import { EventTypes } from './resources/event-types.js';
import { Export } from './resources/export.js';
import { Health } from './resources/health.js';
import { Keys } from './resources/keys.js';
import { MessageAttempts } from './resources/message-attempts.js';
import { Messages } from './resources/messages.js';
import { Metrics } from './resources/metrics.js';
import { OperationalWebhooks } from './resources/operational-webhooks.js';
import { Sources } from './resources/sources.js';
import { Stats } from './resources/stats.js';
import type { ListResponse } from './types.js';

export { ROUTES, routeKey } from './routes.js';

/**
 * A typed client for the whole Hookway API, written on /openapi.json. Its
 * shape follows the svix client (`hw.message.create(appId, {...})`) so code
 * moves between the two; Hookway extensions add resources. Each resource is
 * one file under resources/; routes.ts names the method behind every route.
 */
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
