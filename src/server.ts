import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { buildApi, type RouteModule } from './api/app.js';
import type { ApiContext } from './api/context.js';
import type { Config } from './config.js';
import { createCipher, generateMasterKey, parseMasterKey } from './core/cipher.js';
import { createSignals } from './core/signals.js';
import { combineHooks, createDispatcher, type Dispatcher, type DispatcherHooks } from './delivery/dispatcher.js';
import { createEnqueuer } from './delivery/enqueue.js';
import { createSender } from './delivery/sender.js';
import { defaultExtensions } from './extensions.js';
import { bootstrapAdmin } from './keys.js';
import { LOG_REDACT } from './security/redact.js';
import { withReadCache } from './store/cache.js';
import { describeDatabase, openStore } from './store/open.js';
import type { Store } from './store/port.js';

/**
 * The composition root: config -> store -> engine -> API. Everything is built
 * here once and passed down; nothing else constructs services.
 */
export interface Hookway {
  config: Config;
  store: Store;
  log: Logger;
  /** Set when the API role runs. */
  api: FastifyInstance | null;
  url: string | null;
  dispatcher: Dispatcher | null;
  /** The admin token generated on this start (first start only), else null. */
  generatedAdminToken: string | null;
  masterKeyGenerated: boolean;
  database: string;
  close(): Promise<void>;
}

export const VERSION = '0.1.0';

/** Extension points other modules add to the server (inbound gateway, operations). */
export interface Extension {
  routes?: RouteModule[];
  dispatcherHooks?: (ctx: ApiContext) => DispatcherHooks;
  start?: (ctx: ApiContext) => Promise<() => Promise<void>>;
}

export function loadMasterKey(config: Config): { keys: Buffer[]; generated: boolean } {
  if (config.masterKey) {
    return { keys: config.masterKey.split(',').map(parseMasterKey), generated: false };
  }
  const file = join(config.dataDir, 'master.key');
  if (existsSync(file)) {
    return { keys: readFileSync(file, 'utf8').trim().split('\n').map(parseMasterKey), generated: false };
  }
  mkdirSync(config.dataDir, { recursive: true });
  writeFileSync(file, `${generateMasterKey()}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { keys: [parseMasterKey(readFileSync(file, 'utf8'))], generated: true };
}

export async function startHookway(
  config: Config,
  opts: { log?: Logger; extensions?: Extension[]; listen?: boolean } = {},
): Promise<Hookway> {
  const log =
    opts.log ??
    pino({
      level: config.logLevel,
      // Credentials never reach the log, whatever a future log line includes.
      redact: LOG_REDACT,
    });
  mkdirSync(config.dataDir, { recursive: true });
  const master = loadMasterKey(config);
  const cipher = createCipher(master.keys);
  const store = withReadCache(await openStore(config, cipher));
  const { applied } = await store.migrate();
  if (applied.length > 0) log.info({ applied }, 'migrations applied');
  const now = Date.now;
  const generatedAdminToken = await bootstrapAdmin(store, config.adminToken, now());

  const sender = createSender({
    allowedTargets: config.allowedTargets,
    httpsOnly: config.httpsOnly,
    proxyUrl: config.proxyUrl,
    userAgent: `Hookway/${VERSION}`,
  });

  let dispatcher: Dispatcher | null = null;
  const wake = () => dispatcher?.wake();
  const enqueuer = createEnqueuer(store, () => dispatcher, now);
  const ctx: ApiContext = { store, config, log, enqueuer, wake, now, signals: createSignals() };
  const extensions = opts.extensions ?? defaultExtensions();

  if (config.role !== 'api') {
    const hooks = combineHooks(extensions.map((e) => e.dispatcherHooks?.(ctx) ?? {}));
    dispatcher = createDispatcher(store, sender, config, log, hooks, now);
    dispatcher.start();
  }
  const unlisten = store.onWake(wake);
  const stops: Array<() => Promise<void>> = [];
  for (const ext of extensions) if (ext.start) stops.push(await ext.start(ctx));

  let api: FastifyInstance | null = null;
  let url: string | null = null;
  if (config.role !== 'worker') {
    api = await buildApi(
      ctx,
      extensions.flatMap((e) => e.routes ?? []),
    );
    if (opts.listen !== false) {
      await api.listen({ host: config.host, port: config.port });
      const address = api.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
      // With port 0 the real port is known only now; links (ingest URLs, portal) must use it.
      if (!config.publicUrlSet) config.publicUrl = url;
    }
  }

  let closed = false;
  return {
    config,
    store,
    log,
    api,
    url,
    dispatcher,
    generatedAdminToken,
    masterKeyGenerated: master.generated,
    database: describeDatabase(config),
    async close() {
      if (closed) return;
      closed = true;
      if (api) await api.close();
      await enqueuer.drain();
      for (const stop of stops) await stop();
      unlisten();
      if (dispatcher) await dispatcher.stop();
      await sender.close();
      await store.close();
    },
  };
}
