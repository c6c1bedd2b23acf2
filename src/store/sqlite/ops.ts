import type { OpsStore } from '../ops-port.js';
import type { Ctx } from './db.js';
import { healthOps } from './ops-health.js';
import { replayOps } from './ops-replay.js';
import { retentionOps } from './ops-retention.js';
import { statsOps } from './ops-stats.js';
import { taskOps } from './ops-tasks.js';

/** The operations port on SQLite (src/store/ops-port.ts), composed from one module per group. */
export function operationsStore(ctx: Ctx): OpsStore {
  return { ...taskOps(ctx), ...replayOps(ctx), ...healthOps(ctx), ...statsOps(ctx), ...retentionOps(ctx) };
}
