import type { Context } from '../context.js';
import { CircuitBreaker } from './breaker.js';
import { createHealthTracker } from './health.js';
import { startJobs } from './jobs.js';
import { createMetrics } from './metrics.js';
import { createOperational } from './operational.js';
import { endpointRateLimits, Pauses } from './rate-limit.js';
import type { OpsState } from './state.js';
import { createTaskRunner } from './tasks.js';

/**
 * Operations, built once per server: replay and recovery tasks, failure
 * streaks and auto-disable, the circuit breaker, rate limits, operational
 * webhooks and metrics. See docs/operations.md. Its routes are in api/routes,
 * its dispatcher hooks in engine.ts; server.ts wires all three.
 */
export function createOperations(ctx: Context): OpsState {
  const cfg = ctx.config;
  const log = ctx.log.child({ module: 'ops' });
  const metrics = createMetrics(ctx.store, ctx.now);
  const op = createOperational(ctx, metrics, log);
  return {
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
}

/** Starts the background side (jobs, inbound counters, the operational application); returns its stop. */
export async function startOperations(ctx: Context, s: OpsState): Promise<() => Promise<void>> {
  const unregister = ctx.signals.onInbound((n) => s.metrics.inboundEvent(n.sourceId, n.outcome));
  await s.op.app();
  const stopJobs = startJobs(ctx, s);
  return async () => {
    await stopJobs();
    await s.tasks.stop();
    await s.health.drain();
    unregister();
  };
}
