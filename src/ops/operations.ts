import type { Context } from '../context.js';
import { startJobs } from './jobs.js';
import { createMetrics } from './metrics.js';
import { createOperational } from './operational.js';
import type { OpsState } from './state.js';
import { createTaskRunner } from './tasks.js';

/**
 * Operations, built once per server: replay and recovery tasks, operational
 * webhooks and metrics. See docs/operations.md. Its routes are in api/routes,
 * what it does with delivery's reports in observer.ts; server.ts wires all
 * three. (Rate limits, the circuit breaker and auto-disable are delivery's.)
 */
export function createOperations(ctx: Context): OpsState {
  const log = ctx.log.child({ module: 'ops' });
  const metrics = createMetrics(ctx.store, ctx.now);
  const op = createOperational(ctx, metrics, log);
  return {
    log,
    metrics,
    op,
    tasks: createTaskRunner(ctx, log, ctx.config.taskStaleSeconds * 1000),
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
    unregister();
  };
}
