import { mkdirSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApi } from './api/app.js';
import type { Config } from './config.js';
import type { Context } from './context.js';
import { createCipher } from './core/cipher.js';
import { createSignals } from './core/signals.js';
import { createDestinations } from './delivery/destinations/index.js';
import { createDispatcher, type Dispatcher } from './delivery/dispatcher.js';
import { createEnqueuer } from './delivery/enqueue.js';
import { createEndpointHealth } from './delivery/health.js';
import { createThreadedSender } from './delivery/sender-thread.js';
import { createInboundService } from './inbound/service.js';
import { bootstrapAdmin } from './keys.js';
import { createLogger } from './log/logger.js';
import { createOpsObserver } from './ops/observer.js';
import { createOperations, startOperations } from './ops/operations.js';
import { withAvailability } from './store/availability.js';
import { withReadCache } from './store/cache.js';
import { loadMasterKey } from './store/master-key.js';
import { describeDatabase, faultClassifier, openStore } from './store/open.js';
import type { Store } from './store/port.js';
import { waitForDatabase } from './store/wait.js';

/**
 * The composition root: config -> store -> engine -> services -> API. Every
 * part is built here once, in this order, and passed down; nothing else
 * constructs services. docs/architecture.md draws the layers.
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

export async function startHookway(
  config: Config,
  opts: {
    log?: Logger;
    listen?: boolean;
    /** The clock of every service and job (tests move it forward to reach retention dates). */
    now?: () => number;
  } = {},
): Promise<Hookway> {
  // The store: secrets encrypted under the master key, reads cached, faults classified.
  const log = opts.log ?? createLogger(config);
  mkdirSync(config.dataDir, { recursive: true });
  const master = loadMasterKey(config);
  const cipher = createCipher(master.keys);
  const store = withReadCache(withAvailability(await openStore(config, cipher), faultClassifier(config), log));
  const database = describeDatabase(config);
  const now = opts.now ?? Date.now;

  // The engine: the sender (HTTP and broker destinations, on its own thread unless turned off), the
  // write path of new messages, and the dispatcher (started below, once the database answers).
  const senderOptions = {
    allowedTargets: config.allowedTargets,
    httpsOnly: config.httpsOnly,
    proxyUrl: config.proxyUrl,
    userAgent: `Hookway/${VERSION}`,
  };
  const sender =
    config.senderThreads > 0 && config.role !== 'api'
      ? createThreadedSender(senderOptions, config.senderThreads)
      : createDestinations(senderOptions);

  let dispatcher: Dispatcher | null = null;
  const wake = () => dispatcher?.wake();
  const enqueuer = createEnqueuer(store, () => dispatcher, now);
  const ctx: Context = { store, config, log, enqueuer, wake, now, signals: createSignals() };
  ctx.signals.onRateLimitChanged((n) => dispatcher?.rateLimitChanged(n));

  // The services beside the engine: the inbound gateway's processor, and operations.
  const inbound = createInboundService({ store, now, wake, log, handOff: () => dispatcher });
  const ops = createOperations(ctx);

  // Delivery reports what happened and the services watch: inbound keeps each event's status in
  // step with the deliveries forwarding it; operations counts attempts and sends operational
  // webhooks. Endpoint health (failure streaks, auto-disable) is delivery's own; the operational
  // webhooks' own endpoints are never disabled by it.
  const observers = [inbound.observer, createOpsObserver(ctx, ops)];
  const health = createEndpointHealth(
    { store, now, log, observers, exempt: (appId) => ops.op.isInternal(appId) },
    config,
  );

  // The API listens before the database answers, so health says "down" (503) while
  // Hookway waits for it at start, instead of the port being closed.
  let ready = false;
  let api: FastifyInstance | null = null;
  let url: string | null = null;
  if (config.role !== 'worker') {
    api = await buildApi(
      ctx,
      { inbound, ops },
      { notReady: () => (ready ? null : 'Hookway is starting: waiting for the database.') },
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

  let generatedAdminToken: string | null;
  const stops: Array<() => Promise<void>> = [];
  let unlisten = () => {};
  try {
    const { applied } = await waitForDatabase(() => store.migrate(), log, database);
    if (applied.length > 0) log.info({ applied }, 'migrations applied');
    generatedAdminToken = await bootstrapAdmin(store, config.adminToken, now());

    if (config.role !== 'api') {
      // The dispatcher builds each request (rate limit, transformation, format, signature) and
      // tells endpoint health and the observers what each attempt answered.
      dispatcher = createDispatcher(store, sender, config, log, { health, observers }, now);
      dispatcher.start();
    }
    unlisten = store.onWake(wake);
    stops.push(() => inbound.drain());
    stops.push(await startOperations(ctx, ops));
    // Swept once operations knows its own application (exempt above).
    health.start();
    stops.push(() => health.stop());
  } catch (err) {
    await api?.close();
    await sender.close();
    await store.close();
    throw err;
  }
  ready = true;

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
    database,
    async close() {
      if (closed) return;
      closed = true;
      if (api) await api.close();
      await enqueuer.drain();
      for (const stop of stops) await stop();
      unlisten();
      if (dispatcher) await dispatcher.stop({ graceMs: config.shutdownGraceMs });
      await sender.close();
      await store.close();
    },
  };
}
