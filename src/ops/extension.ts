import type { ApiContext } from '../api/context.js';
import type { Extension } from '../server.js';
import { registerApiHooks } from './api-hooks.js';
import { CircuitBreaker } from './breaker.js';
import { createEngineHooks } from './engine.js';
import { createHealthTracker } from './health.js';
import { startJobs } from './jobs.js';
import { createMetrics } from './metrics.js';
import { createOperational } from './operational.js';
import { endpointRateLimits, Pauses } from './rate-limit.js';
import { endpointOpsRoutes } from './routes/endpoint-ops.js';
import { metricsRoutes } from './routes/metrics.js';
import { operationalRoutes } from './routes/operational.js';
import { retentionRoutes } from './routes/retention.js';
import { statsRoutes } from './routes/stats.js';
import { taskRoutes } from './routes/tasks.js';
import type { OpsState } from './state.js';
import { createTaskRunner } from './tasks.js';

/**
 * Operations as one Extension: replay and recovery tasks, test
 * deliveries, secret rotation, failure streaks and auto-disable, the circuit
 * breaker, rate limits, operational webhooks, stats, chat and legacy
 * formats, transformations, retention, export and /metrics. See
 * docs/operations.md. Everything is built once per server, on first use by
 * whichever of routes, hooks or start the server calls first.
 */
export function operationsExtension(): Extension {
  let state: OpsState | null = null;

  function build(ctx: ApiContext): OpsState {
    if (state) return state;
    const cfg = ctx.config;
    const log = ctx.log.child({ module: 'ops' });
    const metrics = createMetrics(ctx.store, ctx.now);
    const op = createOperational(ctx, metrics, log);
    state = {
      log,
      metrics,
      op,
      health: createHealthTracker(ctx, op, cfg, log),
      tasks: createTaskRunner(ctx, log, cfg.taskStaleSeconds * 1000),
      buckets: endpointRateLimits(ctx.now),
      breaker: new CircuitBreaker(
        {
          minAttempts: cfg.breakerMinAttempts,
          failurePercent: cfg.breakerFailurePercent,
          windowMs: cfg.breakerWindowSeconds * 1000,
          probeMs: cfg.breakerProbeSeconds * 1000,
        },
        ctx.now,
      ),
      pauses: new Pauses(),
    };
    return state;
  }

  return {
    routes: [
      (app, ctx) => {
        const s = build(ctx);
        registerApiHooks(app, ctx, s);
        taskRoutes(app, ctx, s);
        endpointOpsRoutes(app, ctx, s);
        statsRoutes(app, ctx);
        operationalRoutes(app, ctx, s);
        retentionRoutes(app, ctx);
        metricsRoutes(app, ctx, s);
      },
    ],
    dispatcherHooks: (ctx) => {
      const s = build(ctx);
      return createEngineHooks({ ctx, transformTimeoutMs: ctx.config.transformTimeoutMs, ...s });
    },
    async start(ctx) {
      const s = build(ctx);
      const unregister = ctx.signals.onInbound((n) => s.metrics.inboundEvent(n.sourceId, n.outcome));
      await s.op.app();
      const stopJobs = startJobs(ctx, s);
      return async () => {
        await stopJobs();
        await s.tasks.stop();
        await s.health.drain();
        unregister();
      };
    },
  };
}
