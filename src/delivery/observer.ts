import type { Logger } from 'pino';
import type { Endpoint } from '../core/types.js';
import type { AttemptResult, ClaimedDelivery } from '../store/port.js';
import type { SendResult } from './sender.js';

/**
 * What delivery tells the modules that watch it (the inbound event status,
 * metrics, operational webhooks), wired in server.ts. Observers only watch:
 * nothing they do changes a send, a retry or an endpoint. Each method is
 * optional; one that throws or rejects is logged. The endpoint notices may
 * answer a promise: endpoint health waits for it before its next notice, so
 * an endpoint's failing notice is handled before its disabled one.
 */
export interface DeliveryObserver {
  /** An attempt was committed with its delivery's new state. */
  onAttempt?(result: AttemptResult, claimed: ClaimedDelivery, send: SendResult): void;
  /** An endpoint's consecutive failed attempts reached the notify count (health.ts). */
  onEndpointFailing?(
    endpoint: Endpoint,
    consecutiveFailures: number,
    failingSince: number | null,
  ): void | Promise<void>;
  /**
   * Delivery disabled an endpoint by itself: 410 Gone, a target its format
   * says is gone, or failing for too long (health.ts). `failingSince` is null
   * when no failure streak led to it.
   */
  onEndpointDisabled?(
    endpoint: Pick<Endpoint, 'id' | 'uid' | 'appId'>,
    failingSince: number | null,
  ): void | Promise<void>;
}

/** Tells every observer, in order; resolves once each has handled it. One that fails is logged, the others are still told. */
export function tell(
  observers: readonly DeliveryObserver[],
  log: Logger,
  what: (o: DeliveryObserver) => void | Promise<void>,
): Promise<void> {
  const pending: Promise<void>[] = [];
  const failed = (err: unknown) => log.error({ err }, 'delivery observer failed');
  for (const o of observers) {
    try {
      const answer = what(o);
      if (answer) pending.push(answer.catch(failed));
    } catch (err) {
      failed(err);
    }
  }
  return pending.length === 0 ? Promise.resolve() : Promise.all(pending).then(() => undefined);
}
