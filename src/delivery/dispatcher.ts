import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import { coerceError } from '../core/errors.js';
import type { RateLimitNotice } from '../core/signals.js';
import type { AttemptResult, ClaimedDelivery, Store } from '../store/port.js';
import { attemptOf, createAttemptRecorder } from './attempt-record.js';
import { buildRequest } from './build-request.js';
import { type ClaimLoopOptions, createWakeSignal, runClaimLoop } from './claim-loop.js';
import { formatOf } from './formats/index.js';
import type { EndpointHealth } from './health.js';
import { createLanes, type LaneOptions } from './lanes.js';
import type { DeliveryObserver } from './observer.js';
import { decide } from './outcome.js';
import type { OutboundRequest } from './request.js';
import type { Sender, SendResult } from './sender.js';
import { storeFailed } from './store-failure.js';
import { createThrottle, type ThrottleOptions } from './throttle.js';
import { startAttemptSpan } from './trace.js';

/**
 * The dispatcher: claims due deliveries, sends them, records attempts. It
 * composes one idea per file:
 * - lanes.ts: each endpoint's lane and in-flight cap, the node's cap, and the
 *   hand-off (`reserve`, `accept`, `cancel`);
 * - claim-loop.ts: when to claim, how much, and the wake and sleep between;
 * - throttle.ts: what holds an endpoint back (rate limit, circuit breaker, a
 *   429's pause);
 * - build-request.ts: the request of one attempt (transformation, format, signature);
 * - attempt-record.ts: the Attempt row and its batched commit, after which
 *   endpoint health (health.ts) and the observers (observer.ts) are told.
 *
 * Work arrives two ways. Hand-off: a delivery committed on this node is
 * leased to it in the same transaction and given to `accept` in memory after
 * the commit (`reserve` first says whether its lane has room), so fresh work
 * costs no claim statement and no re-read of message and endpoint rows.
 * Claims: retries, expired leases, overflow (a lane that was full at commit)
 * and other nodes' work.
 *
 * FIFO endpoints are never handed off: their deliveries go through claims,
 * which give out one at a time, in order. Their commit wakes the loop like
 * any pending work (`offer`), and so does their outcome's record, so the next
 * one is claimed at once rather than at the next poll.
 */
export interface DispatcherOptions extends ThrottleOptions, LaneOptions, ClaimLoopOptions {
  defaultTimeoutMs: number;
  retrySchedule: number[];
  /** How long an endpoint's transformation may run. */
  transformTimeoutMs: number;
}

/** What the dispatcher reports to, after each committed attempt. */
export interface DispatcherWatchers {
  /** Endpoint health: counts the attempt in the endpoint's failure streak, disables a gone target. */
  health?: EndpointHealth;
  /** Told of each committed attempt, in order (inbound event status, metrics, operational webhooks). */
  observers?: readonly DeliveryObserver[];
}

/** How the write path hands fresh deliveries to this node's dispatcher (see createEnqueuer). */
export interface HandOff {
  readonly leaseMs: number;
  /** Takes one slot in the endpoint's lane for a delivery about to commit; false: leave it pending. */
  reserve(endpointId: string): boolean;
  /** The reserved delivery committed, leased to this node: send it. */
  accept(c: ClaimedDelivery): void;
  /** The reserved delivery did not commit (or was not created): give the slot back. */
  cancel(endpointId: string): void;
}

export interface Dispatcher extends HandOff {
  start(): void;
  wake(): void;
  /** New pending deliveries were committed for these endpoints: wake unless every one's lane is full. */
  offer(endpointIds: readonly string[]): void;
  /**
   * Stops claiming and hands back the deliveries held but not started (their
   * leases are released, so another node or the next start sends them at
   * once). Sends already started get `graceMs` (default: no limit) to finish;
   * then they are cut off and their deliveries released too (sent again, with
   * the same webhook-id). Resolves once every outcome is recorded.
   */
  stop(opts?: { graceMs?: number }): Promise<void>;
  readonly inflight: number;
  /** An endpoint's `rateLimit` was changed on this node (see Throttle.rateLimitChanged). */
  rateLimitChanged(change: RateLimitNotice): void;
}

export function createDispatcher(
  store: Store,
  sender: Sender,
  opts: DispatcherOptions,
  log: Logger,
  watchers: DispatcherWatchers = {},
  now: () => number = Date.now,
): Dispatcher {
  let running = false;
  let loopDone: Promise<void> = Promise.resolve();
  const signal = createWakeSignal();
  // Rate limits, circuit breakers and 429 pauses of this node's endpoints; a pause ending wakes the loop.
  const throttle = createThrottle(opts, signal.wake, now);
  const recorder = createAttemptRecorder({
    store,
    log,
    now,
    health: watchers.health,
    observers: watchers.observers ?? [],
    wake: signal.wake,
  });
  const lanes = createLanes(opts, {
    store,
    log,
    now,
    running: () => running,
    paused: (at) => throttle.paused(at),
    send: deliver,
    wake: signal.wake,
  });
  // Aborted when the shutdown grace period is over; sends cut off by it are released, not recorded.
  const shutdown = new AbortController();
  // Every send in flight listens to it (see deadline.ts): thousands at once are expected, not a leak.
  setMaxListeners(0, shutdown.signal);
  const cutOff: string[] = [];

  /** One attempt: wait for the throttle, build, send, judge the answer, hand the record over. */
  async function deliver(c: ClaimedDelivery): Promise<void> {
    const startedAt = now();
    const span = startAttemptSpan(c);
    let request: OutboundRequest | null = null;
    let result: SendResult;
    try {
      await throttle.beforeSend(c.endpoint);
      // Built after the rate-limit wait, so the signature's timestamp is the send's.
      request = buildRequest(c, now(), opts.transformTimeoutMs);
      // The attempt's span goes along as `traceparent` (none when not tracing).
      if (span.headers.traceparent) request = { ...request, headers: { ...request.headers, ...span.headers } };
      result = await sender.send({
        url: request.url,
        headers: request.headers,
        body: request.body,
        timeoutMs: c.endpoint.timeoutMs ?? opts.defaultTimeoutMs,
        signal: shutdown.signal,
        eventType: c.message.eventType,
      });
    } catch (err) {
      // A throwing transformation or format must cost one failed attempt, never the engine.
      const e = coerceError(err);
      result = {
        statusCode: 0,
        headers: null,
        body: '',
        durationMs: now() - startedAt,
        errorKind: 'invalid_response',
        errorDetail: `request could not be built: ${e.message}`.slice(0, 500),
      };
    }
    if (shutdown.signal.aborted && result.errorKind !== null) {
      cutOff.push(c.delivery.id);
      return;
    }
    if (result.errorKind === null) {
      const problem = formatOf(c.endpoint.format).rejects?.(result.statusCode, result.body) ?? null;
      if (problem) result = { ...result, errorKind: 'invalid_response', errorDetail: problem };
    }
    const finishedAt = now();
    const schedule = c.endpoint.retrySchedule ?? opts.retrySchedule;
    const { update } = decide(result, c.delivery.attempts + 1, schedule, finishedAt);
    const attempt = attemptOf(c, request, result, update, finishedAt);
    const record: AttemptResult = { attempt, deliveryId: c.delivery.id, update };
    span.end(attempt, update.kind);
    // Before the endpoint's next send: a 429 pauses it and the breaker counts at once.
    throttle.answered(record, c.endpoint, result);
    // The endpoint's slot is free as soon as the response is in; the record commits in the
    // background (stop() drains it).
    recorder.record(record, c, result);
  }

  return {
    start() {
      if (running) return;
      running = true;
      loopDone = runClaimLoop(opts, { store, lanes, signal, log, now, running: () => running }).catch((err) =>
        log.fatal({ err }, 'dispatcher loop crashed'),
      );
    },
    wake: signal.wake,
    leaseMs: opts.leaseMs,
    reserve: lanes.reserve,
    accept: lanes.accept,
    cancel: lanes.cancel,
    offer(endpointIds) {
      // A full lane is skipped by claims anyway and wakes the loop itself when it half-drains;
      // waking for it made ~90% of claims empty under a burst to one endpoint.
      if (endpointIds.some((id) => !lanes.skipped(id))) signal.wake();
    },
    async stop({ graceMs = Number.POSITIVE_INFINITY } = {}) {
      running = false;
      signal.wake();
      await loopDone;
      // Deliveries still waiting in a lane go back to the queue instead of holding shutdown.
      const waiting = lanes.takeWaiting();
      if (waiting.length > 0) {
        await store.releaseDeliveries(waiting).catch((err) => storeFailed(log, err, 'release failed'));
      }
      if (lanes.inflight > 0 && !(await lanes.untilIdle(graceMs))) {
        log.warn(
          { sending: lanes.inflight, graceMs },
          'shutdown grace period over: cutting off the sends still running',
        );
        shutdown.abort(new Error('Hookway is shutting down'));
        await lanes.untilIdle(Number.POSITIVE_INFINITY);
      }
      if (cutOff.length > 0) {
        await store.releaseDeliveries(cutOff.splice(0)).catch((err) => storeFailed(log, err, 'release failed'));
      }
      await recorder.drain();
    },
    get inflight() {
      return lanes.inflight;
    },
    rateLimitChanged: throttle.rateLimitChanged,
  };
}
