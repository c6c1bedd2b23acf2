/**
 * The visible states of a delivery (one message to one endpoint):
 * - `pending`: queued, not tried since (new, or a manual resend);
 * - `sending`: an attempt is in flight;
 * - `retrying`: its last attempt failed and the next one is scheduled;
 * - `succeeded`;
 * - `exhausted`: every attempt of its schedule failed (stored as `failed`).
 * A message's state sums up its deliveries, the worst one first.
 */
export interface DeliveryCounts {
  pending: number;
  retrying: number;
  sending: number;
  succeeded: number;
  /** Exhausted. */
  failed: number;
}

export type DeliveryState = 'pending' | 'sending' | 'retrying' | 'succeeded' | 'exhausted';

export type MessageDeliveryStatus = 'no_endpoints' | 'exhausted' | 'retrying' | 'sending' | 'pending' | 'succeeded';

export function deliveriesOut(c: DeliveryCounts) {
  return {
    total: c.pending + c.retrying + c.sending + c.succeeded + c.failed,
    succeeded: c.succeeded,
    retrying: c.retrying,
    exhausted: c.failed,
    pending: c.pending,
    sending: c.sending,
  };
}

export function messageDeliveryStatus(c: DeliveryCounts | undefined): MessageDeliveryStatus {
  if (!c) return 'no_endpoints';
  if (c.failed > 0) return 'exhausted';
  if (c.retrying > 0) return 'retrying';
  if (c.sending > 0) return 'sending';
  if (c.pending > 0) return 'pending';
  return c.succeeded > 0 ? 'succeeded' : 'no_endpoints';
}
