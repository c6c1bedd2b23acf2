import type { DeliveryState } from './types.js';

/**
 * Deliveries counted by state (the words of core/types.ts). A message's
 * state sums up its deliveries, the worst one first.
 */
export interface DeliveryCounts {
  pending: number;
  retrying: number;
  sending: number;
  succeeded: number;
  exhausted: number;
}

export type MessageDeliveryStatus = 'no_endpoints' | Exclude<DeliveryState, 'held'>;

export function deliveriesOut(c: DeliveryCounts) {
  return {
    total: c.pending + c.retrying + c.sending + c.succeeded + c.exhausted,
    succeeded: c.succeeded,
    retrying: c.retrying,
    exhausted: c.exhausted,
    pending: c.pending,
    sending: c.sending,
  };
}

export function messageDeliveryStatus(c: DeliveryCounts | undefined): MessageDeliveryStatus {
  if (!c) return 'no_endpoints';
  if (c.exhausted > 0) return 'exhausted';
  if (c.retrying > 0) return 'retrying';
  if (c.sending > 0) return 'sending';
  if (c.pending > 0) return 'pending';
  return c.succeeded > 0 ? 'succeeded' : 'no_endpoints';
}
