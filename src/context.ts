import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Signals } from './core/signals.js';
import type { Enqueuer } from './delivery/enqueue.js';
import type { Store } from './store/port.js';

/**
 * What the services need from the running server: built once in server.ts
 * and passed down (no globals). The API, the inbound gateway and operations
 * all receive this one object; none of them builds its own.
 */
export interface Context {
  store: Store;
  config: Config;
  log: Logger;
  /** The write path of new messages (delivery/enqueue.ts). */
  enqueuer: Enqueuer;
  /** Wakes this node's dispatcher (a resend, a recover). */
  wake: () => void;
  /** The clock of every service and job (tests move it forward). */
  now: () => number;
  /** Notices between modules side by side (core/signals.ts). */
  signals: Signals;
}
