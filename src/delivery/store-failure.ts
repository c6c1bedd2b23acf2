import type { Logger } from 'pino';
import { HookwayError } from '../core/errors.js';

/** An unavailable database is logged once by the store itself; each failed claim or record is not news. */
export function storeFailed(log: Logger, err: unknown, msg: string, fields: Record<string, unknown> = {}): void {
  const outage = err instanceof HookwayError && err.code === 'database_unavailable';
  log[outage ? 'debug' : 'error']({ err, ...fields }, msg);
}
