import type { Logger } from 'pino';
import type { OpsMetrics } from './metrics.js';
import type { Operational } from './operational.js';
import type { TaskRunner } from './tasks.js';

/** What operations builds once per server (operations.ts) and hands to its routes, observer and jobs. */
export interface OpsState {
  log: Logger;
  metrics: OpsMetrics;
  op: Operational;
  tasks: TaskRunner;
}
