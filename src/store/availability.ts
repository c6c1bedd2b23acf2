import type { Logger } from 'pino';
import { HookwayError } from '../core/errors.js';
import type { Store } from './port.js';

/**
 * Database faults as one error. Each adapter knows which of its errors mean
 * "the database is not there or cannot write" (a PostgreSQL restart, a killed
 * connection, a full SQLite disk) and names the reason; this wrapper turns
 * them into 503 `database_unavailable`, so every caller (API routes, the
 * engine, inbound) sees one catalogue error instead of a driver's.
 *
 * It also writes the log lines an operator needs: one error line when the
 * fault starts, a reminder every REMIND_MS while it lasts (with how many
 * operations failed), and one line when it is over. "Over" means an
 * operation that failed during the fault succeeded again: with a full disk
 * reads keep working, so only a write that succeeds ends it.
 */
export type ClassifyFault = (err: unknown) => string | null;

const REMIND_MS = 10_000;

export function withAvailability(store: Store, faultReason: ClassifyFault, log: Logger, now = Date.now): Store {
  let fault: { reason: string; since: number; loggedAt: number; failures: number; failed: Set<string> } | null = null;

  function failed(method: string, err: unknown): unknown {
    if (err instanceof HookwayError) return err;
    const reason = faultReason(err);
    if (reason === null) return err;
    const t = now();
    if (!fault) {
      fault = { reason, since: t, loggedAt: t, failures: 1, failed: new Set([method]) };
      log.error({ reason, err }, `database unavailable: ${reason}; requests that need it answer 503 until it recovers`);
    } else {
      fault.failures++;
      fault.failed.add(method);
      if (t - fault.loggedAt >= REMIND_MS) {
        fault.loggedAt = t;
        log.error(
          { reason, downForMs: t - fault.since, failures: fault.failures },
          `database still unavailable after ${Math.round((t - fault.since) / 1000)} s: ${reason}`,
        );
      }
    }
    return new HookwayError('database_unavailable', `The database is unavailable (${reason}); nothing was saved.`, {
      cause: err,
    });
  }

  function succeeded(method: string): void {
    if (!fault?.failed.has(method)) return;
    const t = now();
    log.info(
      { downForMs: t - fault.since, failures: fault.failures },
      `database available again after ${Math.round((t - fault.since) / 1000)} s (${fault.failures} operations refused meanwhile)`,
    );
    fault = null;
  }

  // Keyed by the method itself, not its name: a method replaced on the store (a test spy) is wrapped anew.
  const wrapped = new WeakMap<object, unknown>();
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || prop === 'onWake' || prop === 'close') return value;
      let fn = wrapped.get(value);
      if (!fn) {
        const method = String(prop);
        fn = (...args: unknown[]) => {
          let result: unknown;
          try {
            result = value.apply(target, args);
          } catch (err) {
            throw failed(method, err);
          }
          if (!(result instanceof Promise)) return result;
          return result.then(
            (v) => {
              if (fault) succeeded(method);
              return v;
            },
            (err) => {
              throw failed(method, err);
            },
          );
        };
        wrapped.set(value, fn);
      }
      return fn;
    },
  });
}
