import type { Logger } from 'pino';
import { HookwayError } from '../core/errors.js';

/**
 * Start-up against a database that is not there yet (PostgreSQL still
 * starting, a failover in progress): retry `step` with capped backoff and say
 * so, instead of exiting with a stack trace. Only `database_unavailable`
 * is waited for; any other error (bad credentials, a broken migration) is
 * thrown at once, since waiting would not fix it.
 */
export async function waitForDatabase<T>(
  step: () => Promise<T>,
  log: Logger,
  what: string,
  opts: { firstDelayMs?: number; maxDelayMs?: number; now?: () => number } = {},
): Promise<T> {
  const now = opts.now ?? Date.now;
  const started = now();
  let delay = opts.firstDelayMs ?? 250;
  for (let tries = 0; ; tries++) {
    try {
      const result = await step();
      if (tries > 0) {
        log.info({ waitedMs: now() - started }, `database reachable after ${Math.round((now() - started) / 1000)} s`);
      }
      return result;
    } catch (err) {
      if (!(err instanceof HookwayError) || err.code !== 'database_unavailable') throw err;
      const waited = now() - started;
      log.warn(
        { database: what, waitedMs: waited, retryInMs: delay },
        `waiting for the database (${what}): ${err.message} Waited ${Math.round(waited / 1000)} s so far; next try in ${(delay / 1000).toFixed(1)} s.`,
      );
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(opts.maxDelayMs ?? 5_000, delay * 2);
    }
  }
}
