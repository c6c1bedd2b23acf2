import type { Logger } from 'pino';
import type { TokenBuckets } from '../core/token-bucket.js';
import type { CircuitBreaker } from './breaker.js';
import type { HealthTracker } from './health.js';
import type { OpsMetrics } from './metrics.js';
import type { Operational } from './operational.js';
import type { Pauses } from './rate-limit.js';
import type { TaskRunner } from './tasks.js';

/** What operations builds once per server (operations.ts) and hands to its routes, hooks and jobs. */
export interface OpsState {
  log: Logger;
  metrics: OpsMetrics;
  op: Operational;
  health: HealthTracker;
  tasks: TaskRunner;
  buckets: TokenBuckets;
  breaker: CircuitBreaker;
  pauses: Pauses;
}
