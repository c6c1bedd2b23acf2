import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Context } from '../context.js';
import { HookwayError } from '../core/errors.js';
import type { InboundService } from '../inbound/service.js';
import type { OpsState } from '../ops/state.js';
import { registerAudit } from './plugins/audit.js';
import { registerAuth } from './plugins/auth.js';
import { clientErrorHandler } from './plugins/client-error.js';
import { registerErrorHandler } from './plugins/errors.js';
import { registerIdempotency } from './plugins/idempotency.js';
import { registerEmptyBody, registerJsonParser } from './plugins/json-body.js';
import { DOCS_PREFIX, OPENAPI_PATH, registerOpenApi } from './plugins/openapi.js';
import { registerOpsHooks } from './plugins/ops-hooks.js';
import { registerRateLimits } from './plugins/rate-limit.js';
import { registerRouteCatalogue } from './plugins/route-catalogue.js';
import { registerReadOnly } from './plugins/scopes.js';
import { registerTransformationGuard } from './plugins/transformations.js';
import { RequestLogger } from './request-logger.js';
import { applicationRoutes } from './routes/applications.js';
import { attemptLogRoutes } from './routes/attempt-log.js';
import { attemptRoutes } from './routes/attempts.js';
import { auditRoutes } from './routes/audit.js';
import { authRoutes } from './routes/auth.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { endpointFifoRoutes } from './routes/endpoint-fifo.js';
import { endpointOpsRoutes } from './routes/endpoint-ops.js';
import { endpointTransformationRoutes } from './routes/endpoint-transformation.js';
import { endpointRoutes } from './routes/endpoints.js';
import { eventTypeRoutes } from './routes/event-types.js';
import { filterTestRoutes } from './routes/filter-test.js';
import { healthRoutes } from './routes/health.js';
import type { InboundRoutesCtx } from './routes/ingest/access.js';
import { ingestEndpointRoutes } from './routes/ingest/endpoints.js';
import { inboundEventRoutes } from './routes/ingest/events.js';
import { receiveRoutes } from './routes/ingest/receive.js';
import { sourceRoutes } from './routes/ingest/sources.js';
import { sourceStreamRoutes } from './routes/ingest/stream.js';
import { keyRoutes } from './routes/keys.js';
import { messageRoutes } from './routes/messages.js';
import { metricsRoutes } from './routes/metrics.js';
import { operationalRoutes } from './routes/operational.js';
import { retentionRoutes } from './routes/retention.js';
import { statsRoutes } from './routes/stats.js';
import { streamRoutes } from './routes/stream.js';
import { taskRoutes } from './routes/tasks.js';

export const PUBLIC_PREFIXES = ['/api/v1/health', '/in', OPENAPI_PATH, DOCS_PREFIX];

/** The services routes call besides the context, built once in server.ts. */
export interface ApiServices {
  inbound: InboundService;
  ops: OpsState;
}

/**
 * Builds the HTTP API: the plugins every request goes through, in order,
 * then every route. Nothing is registered from elsewhere: this page lists it all.
 */
export async function buildApi(
  ctx: Context,
  services: ApiServices,
  opts: {
    /** While this returns a reason, every request (health included) answers 503 with it: the node is not ready. */
    notReady?: () => string | null;
  } = {},
): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    bodyLimit: ctx.config.bodyLimit,
    // Slow clients (slowloris) are cut: headers and body must arrive in time.
    connectionTimeout: 60_000,
    requestTimeout: 30_000,
    keepAliveTimeout: 72_000,
    routerOptions: { maxParamLength: 300 },
    // Header limits (431 past the size; headers past the count are dropped) and parser errors as {code, detail}.
    // Timeouts are enforced on this interval (Node's default, 30 s, would let a slow client stay twice as long).
    http: { maxHeaderSize: ctx.config.maxHeaderSize, connectionsCheckingInterval: 1_000 },
    clientErrorHandler,
    // Per-request log lines cost more than the request on the hot path; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    // The request's child logger is built only if the request logs (request-logger.ts).
    childLoggerFactory: (logger, bindings, options) => new RequestLogger(logger, bindings, options),
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  });
  registerErrorHandler(app);
  const { notReady } = opts;
  if (notReady) {
    app.addHook('onRequest', async () => {
      const reason = notReady();
      if (reason !== null) throw new HookwayError('database_unavailable', reason);
    });
  }
  // Before any route: the OpenAPI document is collected from routes as they register.
  await registerOpenApi(app);
  registerAuth(app, { store: ctx.store, now: ctx.now, publicPrefixes: PUBLIC_PREFIXES });
  app.server.headersTimeout = ctx.config.headersTimeoutMs;
  app.server.maxHeadersCount = ctx.config.maxHeadersCount;
  // The security layer, after authentication and before any route: the route catalogue, the
  // hardened JSON parser, per-key and per-source rate limits, read-only tokens and the audit log.
  registerRouteCatalogue(app);
  registerJsonParser(app, { maxDepth: ctx.config.maxJsonDepth });
  registerEmptyBody(app);
  registerRateLimits(app, {
    api: { rate: ctx.config.apiRateLimit, burst: ctx.config.apiRateBurst },
    ingest: { rate: ctx.config.ingestRateLimit, burst: ctx.config.ingestRateBurst },
    now: ctx.now,
  });
  registerReadOnly(app);
  registerAudit(app, { store: ctx.store, log: ctx.log, now: ctx.now });
  registerIdempotency(app, ctx.store, ctx.config.idempotencyTtlMs, ctx.now);
  registerTransformationGuard(app);

  // The outbound API (Svix's shape).
  healthRoutes(app, ctx);
  applicationRoutes(app, ctx);
  eventTypeRoutes(app, ctx);
  endpointRoutes(app, ctx);
  endpointTransformationRoutes(app, ctx);
  endpointFifoRoutes(app, ctx);
  messageRoutes(app, ctx);
  filterTestRoutes(app, ctx);
  attemptRoutes(app, ctx);
  attemptLogRoutes(app, ctx);
  keyRoutes(app, ctx);
  authRoutes(app, ctx);
  auditRoutes(app, ctx);
  streamRoutes(app, ctx);

  // The inbound gateway: the receiving route and the Svix-Ingest-shaped API.
  const ingest: InboundRoutesCtx = { api: ctx, inbound: services.inbound };
  sourceStreamRoutes(app, ingest);
  await receiveRoutes(app, ingest);
  sourceRoutes(app, ingest);
  ingestEndpointRoutes(app, ingest);
  inboundEventRoutes(app, ingest);

  // Operations: operational webhooks on endpoint changes, tasks, test sends and secret rotation,
  // stats, the operational endpoints, retention and export, /metrics.
  const { ops } = services;
  registerOpsHooks(app, ctx, ops);
  taskRoutes(app, ctx, ops);
  endpointOpsRoutes(app, ctx, ops);
  statsRoutes(app, ctx);
  operationalRoutes(app, ctx, ops);
  retentionRoutes(app, ctx);
  metricsRoutes(app, ctx, ops);

  await dashboardRoutes(app);
  return app;
}
