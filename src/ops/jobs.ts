import type { Context } from '../context.js';
import type { OpsState } from './state.js';

/**
 * Periodic jobs of operations, each on an unref'd timer and
 * never overlapping itself:
 * - payload retention: drops expired payloads in batches of 1000;
 * - task adoption: resumes tasks whose node stopped reporting.
 */
const PRUNE_BATCH = 1000;

export function startJobs(ctx: Context, state: OpsState): () => Promise<void> {
  const cfg = ctx.config;
  const timers: NodeJS.Timeout[] = [];
  const busy = new Set<string>();
  let stopped = false;

  function every(name: string, ms: number, job: () => Promise<void>, runNow = false): void {
    const run = () => {
      if (stopped || busy.has(name)) return;
      busy.add(name);
      job()
        .catch((err) => state.log.error({ err, job: name }, 'operations job failed'))
        .finally(() => busy.delete(name));
    };
    const t = setInterval(run, ms);
    t.unref();
    timers.push(t);
    if (runNow) setImmediate(run);
  }

  every(
    'prune',
    cfg.pruneIntervalSeconds * 1000,
    async () => {
      let total = 0;
      for (;;) {
        const now = ctx.now();
        const n = await ctx.store.prunePayloads(now, now - cfg.payloadRetentionDays * 86_400_000, PRUNE_BATCH);
        total += n;
        if (n < PRUNE_BATCH || stopped) break;
      }
      if (total > 0) state.log.info({ pruned: total }, 'payloads past retention dropped');
    },
    true,
  );
  every('adopt-tasks', Math.max(1, cfg.taskStaleSeconds / 2) * 1000, () => state.tasks.adoptStale(), true);

  return async () => {
    stopped = true;
    for (const t of timers) clearInterval(t);
    while (busy.size > 0) await new Promise((r) => setTimeout(r, 10));
  };
}
