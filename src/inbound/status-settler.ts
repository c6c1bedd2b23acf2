import { maskCredential } from '../core/destination-url.js';
import { hasPrefix } from '../core/ids.js';
import type { DeliveryObserver } from '../delivery/observer.js';
import type { Store } from '../store/port.js';

/**
 * An inbound event's status follows the deliveries forwarding it: every
 * committed attempt of a forwarded message marks its event for a recount.
 * Marks are collected for SETTLE_MS and settled in one transaction (one
 * statement per message): the status lags the attempt log by that much, and
 * the hot path pays one commit for many attempts instead of one per attempt.
 */
const SETTLE_MS = 200;
/** The longest failure text kept on an event. */
const MAX_ERROR = 1_000;

export interface StatusSettler {
  /** Marks events as their attempts commit (the inbound processor's delivery observer). */
  onAttempt: NonNullable<DeliveryObserver['onAttempt']>;
  /** Settles what is marked now (and waits for settles under way). */
  flush(): Promise<void>;
}

export function createStatusSettler(
  store: Pick<Store, 'settleInbound'>,
  now: () => number,
  log: { warn(obj: object, msg: string): void },
): StatusSettler {
  /** Marked message ids, each with the failure text to keep (if the delivery failed for good). */
  const marked = new Map<string, string | undefined>();
  let timer: NodeJS.Timeout | null = null;
  let settling: Promise<void> = Promise.resolve();

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    if (marked.size === 0) return settling;
    const batch = [...marked];
    marked.clear();
    const errors: Record<string, string> = {};
    for (const [msgId, error] of batch) if (error) errors[msgId] = error;
    settling = settling
      .then(() =>
        store.settleInbound(
          batch.map(([msgId]) => msgId),
          errors,
          now(),
        ),
      )
      .catch((err) => log.warn({ err }, 'could not settle inbound event status'));
    return settling;
  }

  function mark(msgId: string, error?: string): void {
    marked.set(msgId, error ?? marked.get(msgId));
    if (!timer) {
      timer = setTimeout(() => void flush(), SETTLE_MS);
      timer.unref();
    }
  }

  return {
    onAttempt(result, claimed, send) {
      // A forwarded message carries its inbound event's id (`evt_…`) as its eventId.
      const inboundEventId = claimed.message.eventId;
      if (!inboundEventId || !hasPrefix(inboundEventId, 'evt')) return;
      const failed = result.update.kind === 'exhausted' || result.update.kind === 'gone';
      let error: string | undefined;
      if (failed) {
        const why = send.errorDetail ?? (send.statusCode ? `HTTP ${send.statusCode}` : (send.errorKind ?? 'error'));
        const attempts = claimed.delivery.attempts + 1;
        error = `Delivery to ${maskCredential(claimed.endpoint.url)} failed after ${attempts} attempts: ${why}`.slice(
          0,
          MAX_ERROR,
        );
      }
      mark(claimed.message.id, error);
    },
    flush,
  };
}
