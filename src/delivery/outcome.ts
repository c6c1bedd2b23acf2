import { type NextStep, nextStep, type Outcome } from '../core/retry.js';
import type { ErrorKind } from '../core/types.js';
import type { DeliveryUpdate } from '../store/port.js';

/**
 * Turns what the receiver answered into what happens to the delivery. Pure.
 * 2xx is success; 410 Gone disables the endpoint; 429, 502, 503, 504 and
 * timeouts ask us to slow down; anything else is retried on the schedule.
 */
const SLOW_DOWN_STATUSES = new Set([429, 502, 503, 504]);

export interface SendOutcome {
  statusCode: number;
  errorKind: ErrorKind | null;
  retryAfterSeconds?: number | undefined;
}

/** What an answer means for the delivery: success, gone, or worth retrying (and how soon). */
export function outcomeOf(result: SendOutcome): Outcome {
  if (result.errorKind === null && result.statusCode >= 200 && result.statusCode < 300) return { kind: 'success' };
  if (result.statusCode === 410) return { kind: 'gone' };
  return {
    kind: 'retryable',
    retryAfterSeconds: result.retryAfterSeconds,
    slowDown: result.errorKind === 'timeout' || SLOW_DOWN_STATUSES.has(result.statusCode),
  };
}

export function decide(
  result: SendOutcome,
  attemptsMade: number,
  schedule: readonly number[],
  nowMs: number,
  random?: () => number,
): { step: NextStep; update: DeliveryUpdate } {
  const step = nextStep(outcomeOf(result), attemptsMade, schedule, random);
  switch (step.action) {
    case 'done':
      return { step, update: { kind: 'succeeded' } };
    case 'retry':
      return { step, update: { kind: 'retry', nextAttemptAt: nowMs + step.delayMs } };
    case 'exhausted':
      return { step, update: { kind: 'exhausted' } };
    case 'disable':
      return { step, update: { kind: 'gone' } };
  }
}
