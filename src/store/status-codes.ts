import type { AttemptStatus, DeliveryState, Status } from '../core/types.js';
import type { DeliveryUpdate } from './port.js';

/**
 * How status words are stored (the columns date from the first migration).
 *
 * `deliveries.status`: 0 pending, 1 sending, 2 succeeded, 3 exhausted. A
 * retrying delivery is stored pending, with attempts made by the schedule
 * (`retryingSql` in ops-rows.ts), and read back as `retrying`. The claim and
 * retention statements write these numbers in their SQL.
 *
 * `attempts.status`: Svix's MessageStatus numbers, 0 succeeded and 2 failed
 * (1 and 3, pending and sending, are never stored for an attempt).
 */
export const DELIVERY_CODE = { pending: 0, sending: 1, succeeded: 2, exhausted: 3 } as const;

/** Where each outcome of an attempt moves its delivery. */
export const NEXT_DELIVERY_CODE: Record<DeliveryUpdate['kind'], number> = {
  succeeded: DELIVERY_CODE.succeeded,
  retry: DELIVERY_CODE.pending,
  exhausted: DELIVERY_CODE.exhausted,
  gone: DELIVERY_CODE.exhausted,
};

const ATTEMPT_CODE: Partial<Record<Status, number>> = { succeeded: 0, pending: 1, failed: 2, sending: 3 };

/** The stored number of a delivery state; retrying and held are stored pending. */
export function deliveryCode(state: DeliveryState): number {
  return state === 'retrying' || state === 'held' ? DELIVERY_CODE.pending : DELIVERY_CODE[state];
}

/** A stored delivery status as a word; `retrying` when the row says it (see retryingSql). */
export function deliveryStateOf(code: number, retrying = false): DeliveryState {
  if (code === DELIVERY_CODE.pending) return retrying ? 'retrying' : 'pending';
  if (code === DELIVERY_CODE.sending) return 'sending';
  if (code === DELIVERY_CODE.succeeded) return 'succeeded';
  return 'exhausted';
}

export function attemptCode(status: Status): number {
  // A word no attempt is stored with (retrying, held...) matches no row.
  return ATTEMPT_CODE[status] ?? -1;
}

export function attemptStatusOf(code: number): AttemptStatus {
  return code === ATTEMPT_CODE.succeeded ? 'succeeded' : 'failed';
}
