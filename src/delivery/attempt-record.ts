import type { Logger } from 'pino';
import { createBatcher } from '../core/batcher.js';
import { maskCredential } from '../core/destination-url.js';
import { newId } from '../core/ids.js';
import { redactHeaders } from '../core/redact-headers.js';
import type { Attempt } from '../core/types.js';
import type { AttemptResult, ClaimedDelivery, DeliveryUpdate, Store } from '../store/port.js';
import type { EndpointHealth } from './health.js';
import { type DeliveryObserver, tell } from './observer.js';
import { isReservedHeader, type OutboundRequest } from './request.js';
import type { SendResult } from './sender.js';
import { storeFailed } from './store-failure.js';

/**
 * Attempt records: the Attempt row of one send, and the batched writes that
 * commit it with its delivery's new state. After each commit, a FIFO
 * endpoint's next delivery may be claimed, endpoint health counts the attempt
 * and the observers are told.
 */
export function attemptOf(
  c: ClaimedDelivery,
  request: OutboundRequest | null,
  result: SendResult,
  update: DeliveryUpdate,
  finishedAt: number,
): Attempt {
  return {
    id: newId('atmpt', finishedAt),
    deliveryId: c.delivery.id,
    msgId: c.message.id,
    endpointId: c.endpoint.id,
    appId: c.delivery.appId,
    url: maskCredential(request?.url ?? c.endpoint.url),
    status: update.kind === 'succeeded' ? 'succeeded' : 'failed',
    triggerType: c.triggerType,
    parentId: c.parentAttemptId,
    responseStatusCode: result.statusCode,
    responseHeaders: result.headers,
    response: result.body,
    responseDurationMs: result.durationMs,
    // Custom header values may be credentials: attempts keep their names only.
    requestHeaders: redactHeaders(request?.headers ?? {}, (name) => !isReservedHeader(name) && name !== 'user-agent'),
    requestBody: request && request.body !== c.message.payload ? request.body : null,
    errorKind: result.errorKind,
    errorDetail: result.errorDetail,
    createdAt: finishedAt,
  };
}

export interface AttemptRecorder {
  /**
   * Commits the record in the background; then endpoint health and the
   * observers are told. Until it commits the delivery stays leased, so nobody
   * claims it again; if it never commits, the lease expires and it is sent again.
   */
  record(record: AttemptResult, c: ClaimedDelivery, send: SendResult): void;
  /** Resolves once every record given so far is committed (or failed). */
  drain(): Promise<void>;
}

export interface RecorderDeps {
  store: Store;
  log: Logger;
  now: () => number;
  health?: EndpointHealth | undefined;
  observers: readonly DeliveryObserver[];
  /** Wakes the claim loop. */
  wake: () => void;
}

export function createAttemptRecorder(d: RecorderDeps): AttemptRecorder {
  // Attempt records linger 5 ms to share a transaction: nobody waits on them (the delivery
  // stays leased until its record commits), and at 1,000 sends/s this turns ~1,000 commits/s
  // into ~200.
  const batcher = createBatcher<AttemptResult>((results) => d.store.recordAttempts(results, d.now()), 500, 5);
  return {
    record(record, c, send) {
      batcher
        .add(record)
        .then(() => {
          // A FIFO endpoint's next delivery waits for this outcome (its claim needs none in flight).
          if (c.endpoint.fifo) d.wake();
          d.health?.attempted(record, c, send);
          void tell(d.observers, d.log, (o) => o.onAttempt?.(record, c, send));
        })
        .catch((err) => storeFailed(d.log, err, 'could not record attempt', { deliveryId: c.delivery.id }));
    },
    drain: () => batcher.drain(),
  };
}
