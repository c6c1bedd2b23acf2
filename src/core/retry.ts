/**
 * Retry policy as data (undici's retry-handler, graphile-worker's calculateDelay).
 * A schedule lists the seconds to wait before each retry; the first attempt is
 * immediate, so a schedule of n entries allows n + 1 attempts.
 */
export const DEFAULT_RETRY_SCHEDULE: readonly number[] = [5, 300, 1800, 7200, 18000, 36000, 36000];

export const JITTER = 0.2;

export function parseSchedule(text: string): number[] {
  const parts = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const out = parts.map(Number);
  if (out.some((n) => !Number.isFinite(n) || n < 0)) throw new Error(`Invalid retry schedule: ${text}`);
  return out;
}

/** ±20% jitter keeps retries of a burst from landing together (thundering herd). */
export function withJitter(seconds: number, random: () => number = Math.random): number {
  return seconds * (1 - JITTER + 2 * JITTER * random());
}

export type Outcome =
  | { kind: 'success' }
  | { kind: 'gone' } // 410: the receiver asked us to stop
  | { kind: 'retryable'; retryAfterSeconds?: number | undefined; slowDown?: boolean };

export type NextStep =
  | { action: 'done' }
  | { action: 'retry'; delayMs: number }
  | { action: 'exhausted' }
  | { action: 'disable' };

/**
 * Decide what happens after attempt number `attemptsMade` (1-based).
 * `Retry-After` is honoured but clamped to [1x, 2x] the scheduled delay, so a
 * receiver can slow us down without parking a delivery for a week. Timeouts
 * and 429 (`slowDown`) raise the delay to at least 60 s, as Svix does.
 */
export function nextStep(
  outcome: Outcome,
  attemptsMade: number,
  schedule: readonly number[],
  random: () => number = Math.random,
): NextStep {
  if (outcome.kind === 'success') return { action: 'done' };
  if (outcome.kind === 'gone') return { action: 'disable' };
  const scheduled = schedule[attemptsMade - 1];
  if (scheduled === undefined) return { action: 'exhausted' };
  let seconds = withJitter(scheduled, random);
  // An explicit 0 ("immediately") in the schedule is the operator's choice and is kept.
  if (outcome.slowDown && scheduled > 0) seconds = Math.max(seconds, 60);
  if (outcome.retryAfterSeconds !== undefined && outcome.retryAfterSeconds > 0) {
    const lo = scheduled;
    const hi = 2 * scheduled;
    seconds = Math.min(Math.max(outcome.retryAfterSeconds, lo), hi);
  }
  return { action: 'retry', delayMs: Math.round(seconds * 1000) };
}

/** Parses `Retry-After` as delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, nowMs = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, (at - nowMs) / 1000);
}
