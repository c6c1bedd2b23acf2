import type { Logger } from 'pino';
import { createBatcher } from '../core/batcher.js';
import { maskCredential } from '../core/destination-url.js';
import { coerceError, HookwayError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { redactHeaders } from '../core/redact-headers.js';
import type { Attempt } from '../core/types.js';
import type { AttemptResult, ClaimedDelivery, Store } from '../store/port.js';
import { buildRequest } from './build-request.js';
import { formatOf } from './formats/index.js';
import type { EndpointHealth } from './health.js';
import { type DeliveryObserver, tell } from './observer.js';
import { decide } from './outcome.js';
import { isReservedHeader, type OutboundRequest } from './request.js';
import type { Sender, SendResult } from './sender.js';
import { createThrottle, type ThrottleOptions } from './throttle.js';
import { startAttemptSpan } from './trace.js';

/**
 * The dispatcher: claims due deliveries, sends them, records attempts.
 *
 * Work arrives two ways. Hand-off: a delivery committed on this node is
 * leased to it in the same transaction and given to `accept` in memory after
 * the commit (`reserve` first says whether its lane has room), so fresh work
 * costs no claim statement and no re-read of message and endpoint rows.
 * Claims: retries, expired leases, overflow (a lane that was full at commit)
 * and other nodes' work.
 *
 * State machine of one node: it claims up to `room` deliveries in one
 * statement (room = free worker slots), starts sending each, and sleeps until
 * something can change: a new message (in-process wake or NOTIFY), a send
 * finishing while all slots were busy, or the next due time (bounded by the
 * poll interval, which is the floor that guarantees progress, not the
 * mechanism).
 *
 * Isolation: each endpoint has a lane with an in-flight cap. Claimed
 * deliveries wait in their endpoint's lane for a free slot; an endpoint whose
 * lane is full (4x its cap) is passed to the claim as `skip`, so a slow
 * endpoint's backlog stays in the database while healthy endpoints keep every
 * other slot. One claim feeds many sends: the loop claims again when half the
 * node's capacity is free, not after every send (measured: claiming after
 * every send made the claim query 40% of CPU time at 1,000 deliveries/s).
 *
 * FIFO endpoints are never handed off: their deliveries go through claims,
 * which give out one at a time, in order. Their commit wakes the loop like
 * any pending work (`offer`), and so does their outcome's record, so the next
 * one is claimed at once rather than at the next poll.
 */
export interface DispatcherOptions extends ThrottleOptions {
  workerConcurrency: number;
  endpointConcurrency: number;
  defaultTimeoutMs: number;
  retrySchedule: number[];
  pollIntervalMs: number;
  leaseMs: number;
  /** Deliveries claimed per statement at most. */
  claimBatch?: number;
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
}

export function createDispatcher(
  store: Store,
  sender: Sender,
  opts: DispatcherOptions,
  log: Logger,
  watchers: DispatcherWatchers = {},
  now: () => number = Date.now,
): Dispatcher {
  const observers = watchers.observers ?? [];
  /** Per endpoint: deliveries being sent, and claimed ones waiting for a free slot. */
  const lanes = new Map<
    string,
    { sending: number; reserved: number; waiting: Array<{ c: ClaimedDelivery; claimedAt: number }> }
  >();
  const claimBatch = opts.claimBatch ?? 200;
  // Claimed-but-waiting deliveries per endpoint at most; beyond it the endpoint is skipped by claims.
  const laneDepth = opts.endpointConcurrency * 4;
  let inflight = 0; // sending + waiting, on this node
  let running = false;
  let loopDone: Promise<void> = Promise.resolve();
  let signal: (() => void) | null = null;
  let pendingSignal = false;
  let paused = new Set<string>();
  // Rate limits, circuit breakers and 429 pauses of this node's endpoints; a pause ending wakes the loop.
  const throttle = createThrottle(opts, () => wake(), now);
  /** The last claim filled the node's room: more may be due once half of it frees up. */
  let starved = false;
  /** Endpoints left out of a claim because their lane was full: wake when it half-drains. */
  const skipped = new Set<string>();
  const idle = new Set<() => void>();
  // Aborted when the shutdown grace period is over; sends cut off by it are released, not recorded.
  const shutdown = new AbortController();
  const cutOff: string[] = [];

  // Attempt records linger 5 ms to share a transaction: nobody waits on them (the delivery
  // stays leased until its record commits), and at 1,000 sends/s this turns ~1,000 commits/s
  // into ~200.
  const recorder = createBatcher<AttemptResult>((results) => store.recordAttempts(results, now()), 500, 5);

  /** An unavailable database is logged once by the store itself; each failed claim or record is not news. */
  function storeFailed(err: unknown, msg: string, fields: Record<string, unknown> = {}): void {
    const outage = err instanceof HookwayError && err.code === 'database_unavailable';
    log[outage ? 'debug' : 'error']({ err, ...fields }, msg);
  }

  function wake(): void {
    if (signal) {
      const s = signal;
      signal = null;
      s();
    } else {
      pendingSignal = true;
    }
  }

  function waitForSignal(ms: number): Promise<void> {
    if (pendingSignal) {
      pendingSignal = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        signal = null;
        resolve();
      }, ms);
      signal = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

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
    const attempt: Attempt = {
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
    const record: AttemptResult = { attempt, deliveryId: c.delivery.id, update };
    span.end(attempt, update.kind);
    // Before the endpoint's next send: a 429 pauses it and the breaker counts at once.
    throttle.answered(record, c.endpoint, result);
    // The endpoint's slot is free as soon as the response is in; the record commits in the
    // background (stop() drains it). Until it commits the delivery stays leased, so nobody
    // claims it again; if it never commits, the lease expires and it is sent again.
    recorder
      .add(record)
      .then(() => {
        // A FIFO endpoint's next delivery waits for this outcome (its claim needs none in flight).
        if (c.endpoint.fifo) wake();
        watchers.health?.attempted(record, c, result);
        void tell(observers, log, (o) => o.onAttempt?.(record, c, result));
      })
      .catch((err) => storeFailed(err, 'could not record attempt', { deliveryId: c.delivery.id }));
  }

  /**
   * Starts as many waiting deliveries of one endpoint as its cap allows. A
   * delivery that waited for half its lease is handed back to the queue
   * rather than sent, so another node can never claim it while we send it.
   */
  function laneOf(endpointId: string) {
    let lane = lanes.get(endpointId);
    if (!lane) {
      lane = { sending: 0, reserved: 0, waiting: [] };
      lanes.set(endpointId, lane);
    }
    return lane;
  }

  function depthOf(lane: { sending: number; reserved: number; waiting: unknown[] }): number {
    return lane.sending + lane.reserved + lane.waiting.length;
  }

  /**
   * Hand-off: room for one more fresh delivery of this endpoint? Refusals
   * leave it pending in the queue and arrange the wake-up that will claim it:
   * a full lane wakes the loop when it half-drains, a full node when half its
   * capacity frees up, a paused endpoint when its pause ends (resumeAt).
   */
  function reserve(endpointId: string): boolean {
    if (!running) return false;
    if (paused.has(endpointId)) return false;
    if (inflight >= opts.workerConcurrency) {
      starved = true;
      return false;
    }
    const lane = laneOf(endpointId);
    if (depthOf(lane) >= laneDepth) {
      skipped.add(endpointId);
      return false;
    }
    lane.reserved++;
    inflight++;
    return true;
  }

  function accept(c: ClaimedDelivery): void {
    const lane = laneOf(c.endpoint.id);
    lane.reserved--;
    if (!running) {
      // Stopped between commit and hand-off: back to the queue, as stop() does for waiting ones.
      void store.releaseDeliveries([c.delivery.id]).catch((err) => log.error({ err }, 'release failed'));
      done(c.endpoint.id, false);
      return;
    }
    lane.waiting.push({ c, claimedAt: now() });
    pump(c.endpoint.id);
  }

  function cancel(endpointId: string): void {
    const lane = lanes.get(endpointId);
    if (!lane) return;
    lane.reserved--;
    done(endpointId, false);
  }

  function pump(endpointId: string): void {
    const lane = lanes.get(endpointId);
    if (!lane) return;
    const stale: string[] = [];
    // Re-read pauses: an answer just in (a 429, the breaker opening) may have paused this endpoint.
    if (lane.waiting.length > 0) paused = new Set(throttle.paused(now()));
    while (lane.sending < opts.endpointConcurrency && lane.waiting.length > 0 && !paused.has(endpointId)) {
      const next = lane.waiting.shift();
      if (!next) break;
      if (now() - next.claimedAt > opts.leaseMs / 2) {
        stale.push(next.c.delivery.id);
        done(endpointId, false);
        continue;
      }
      lane.sending++;
      void deliver(next.c).finally(() => {
        lane.sending--;
        done(endpointId, true);
      });
    }
    if (stale.length > 0) void store.releaseDeliveries(stale).catch((err) => storeFailed(err, 'release failed'));
  }

  function done(endpointId: string, sent: boolean): void {
    inflight--;
    const lane = lanes.get(endpointId);
    if (lane && depthOf(lane) === 0) lanes.delete(endpointId);
    if (sent) pump(endpointId);
    if (inflight === 0) for (const f of idle) f();
    // A finished send matters to the loop only if a claim left work behind for lack of room
    // (node full, or this endpoint's lane full). Otherwise new work announces itself (enqueue,
    // NOTIFY, timer): waking on every send made ~95% of claims empty, at 0.3-0.6 ms each.
    const depth = lane ? depthOf(lane) : 0;
    if (skipped.has(endpointId) && depth <= laneDepth / 2) {
      skipped.delete(endpointId);
      wake();
    } else if (starved && inflight <= opts.workerConcurrency / 2) {
      starved = false;
      wake();
    }
  }

  /** Resolves true once nothing is in flight, false if `ms` passes first. */
  function untilIdle(ms: number): Promise<boolean> {
    if (inflight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = Number.isFinite(ms) ? setTimeout(() => finish(false), ms) : null;
      const onIdle = () => finish(true);
      function finish(ok: boolean): void {
        if (timer) clearTimeout(timer);
        idle.delete(onIdle);
        resolve(ok);
      }
      idle.add(onIdle);
    });
  }

  async function loop(): Promise<void> {
    while (running) {
      const room = Math.min(opts.workerConcurrency - inflight, claimBatch);
      let full = false;
      const at = now();
      paused = new Set(throttle.paused(at));
      if (room > 0) {
        const skip: string[] = [...paused];
        for (const [id, lane] of lanes) {
          if (depthOf(lane) >= laneDepth) {
            skip.push(id);
            skipped.add(id);
          }
        }
        let claimed: ClaimedDelivery[] = [];
        try {
          claimed = await store.claimDeliveries(at, room, opts.leaseMs, skip, laneDepth);
        } catch (err) {
          storeFailed(err, 'claim failed');
          await waitForSignal(opts.pollIntervalMs);
          continue;
        }
        const touched = new Map<string, number>();
        for (const c of claimed) {
          laneOf(c.endpoint.id).waiting.push({ c, claimedAt: at });
          inflight++;
          touched.set(c.endpoint.id, (touched.get(c.endpoint.id) ?? 0) + 1);
        }
        for (const [id, count] of touched) {
          // The claim took this endpoint's share in full, so more of its work may be due: claim
          // again when its lane half-drains. Without this, a burst to one endpoint was sent one
          // lane (64) per poll interval: measured 104 msg/s against 2,946 for the peer.
          if (count >= laneDepth || depthOf(laneOf(id)) >= laneDepth) skipped.add(id);
          pump(id);
        }
        full = claimed.length === room;
        if (full) starved = true;
      } else {
        starved = true;
      }
      for (const id of lanes.keys()) if (!paused.has(id)) pump(id);
      if (full) continue;
      let sleep = opts.pollIntervalMs;
      if (room > 0) {
        const due = await store.nextDueAt().catch(() => null);
        // Something due at the claim but left (endpoint at its cap) is woken by done(), not by
        // spinning. Something that fell due since (a timer fires up to 1 ms early) is claimed now:
        // a retrying FIFO head waited a whole poll interval for it.
        if (due !== null && due > at) sleep = Math.max(0, Math.min(sleep, due - now()));
      }
      if (sleep > 0) await waitForSignal(sleep);
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loopDone = loop().catch((err) => log.fatal({ err }, 'dispatcher loop crashed'));
    },
    wake,
    leaseMs: opts.leaseMs,
    reserve,
    accept,
    cancel,
    offer(endpointIds) {
      // A full lane is skipped by claims anyway and wakes the loop itself when it half-drains;
      // waking for it made ~90% of claims empty under a burst to one endpoint.
      if (endpointIds.some((id) => !skipped.has(id))) wake();
    },
    async stop({ graceMs = Number.POSITIVE_INFINITY } = {}) {
      running = false;
      wake();
      await loopDone;
      // Deliveries still waiting in a lane go back to the queue instead of holding shutdown.
      const waiting: string[] = [];
      for (const lane of lanes.values()) {
        for (const w of lane.waiting.splice(0)) waiting.push(w.c.delivery.id);
      }
      inflight -= waiting.length;
      if (waiting.length > 0) await store.releaseDeliveries(waiting).catch((err) => storeFailed(err, 'release failed'));
      if (inflight > 0 && !(await untilIdle(graceMs))) {
        log.warn({ sending: inflight, graceMs }, 'shutdown grace period over: cutting off the sends still running');
        shutdown.abort(new Error('Hookway is shutting down'));
        await untilIdle(Number.POSITIVE_INFINITY);
      }
      if (cutOff.length > 0) {
        await store.releaseDeliveries(cutOff.splice(0)).catch((err) => storeFailed(err, 'release failed'));
      }
      await recorder.drain();
    },
    get inflight() {
      return inflight;
    },
  };
}
