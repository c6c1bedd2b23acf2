import type { DeliveryState, Status } from './types.js';

/**
 * Svix's MessageStatus: how the Svix-shaped API numbers a status, for an
 * attempt and for a message's delivery to one endpoint, with the
 * `statusText` beside it. Svix has four; each of Hookway's words reads as the
 * nearest one (a retrying or held delivery is pending, an exhausted one
 * failed). `filtered` keeps its own text, as Svix has none for it.
 */
export type SvixStatus = 0 | 1 | 2 | 3;

const SVIX_TEXT = ['success', 'pending', 'fail', 'sending'] as const;

const SVIX_NUMBER: Record<Status, SvixStatus> = {
  succeeded: 0,
  pending: 1,
  retrying: 1,
  held: 1,
  failed: 2,
  exhausted: 2,
  filtered: 2,
  sending: 3,
};

export function svixStatus(status: Status): SvixStatus {
  return SVIX_NUMBER[status];
}

export function svixStatusText(status: Status): (typeof SVIX_TEXT)[number] | 'filtered' {
  return status === 'filtered' ? 'filtered' : SVIX_TEXT[SVIX_NUMBER[status]];
}

/** A status filter sent in Svix's numbers, as a word: `2` is an attempt that failed, or a delivery exhausted. */
export function fromSvixStatus(n: SvixStatus, of: 'delivery'): DeliveryState;
export function fromSvixStatus(n: SvixStatus, of: 'attempt'): Status;
export function fromSvixStatus(n: SvixStatus, of: 'attempt' | 'delivery'): Status {
  if (n === 2) return of === 'attempt' ? 'failed' : 'exhausted';
  return (['succeeded', 'pending', 'failed', 'sending'] as const)[n];
}
