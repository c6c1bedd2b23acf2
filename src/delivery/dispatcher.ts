import type { Logger } from 'pino';
import { createBatcher } from '../core/batcher.js';
import { coerceError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { type Attempt, AttemptStatus } from '../core/types.js';
import type { AttemptResult, ClaimedDelivery, Store } from '../store/port.js';
import { decide } from './outcome.js';
import { buildStandardRequest, isReservedHeader, type OutboundRequest } from './request.js';
import type { Sender, SendResult } from './sender.js';

/**
 * The dispatcher: claims due deliveries, sends them, records attempts.
 *
 * State machine of one node: it claims up to `room` deliveries in one
 * statement (room = free worker slots), starts sending each, and sleeps until
 * something can change: a new message (in-process wake or NOTIFY), a send
 * finishing while all slots were busy, or the next due time (bounded by the
 * poll interval, which is the floor that guarantees progress, not the
 * mechanism).
 *
 * Isolation: each endpoint has an in-flight cap. Endpoints at their cap are
 * passed to the claim as `skip`, so a slow endpoint's backlog stays queued
 * while healthy endpoints keep every other slot. A claim that returns more
 * deliveries of one endpoint than its room hands the excess straight back.
 */
export interface DispatcherOptions {
  workerConcurrency: number;
  endpointConcurrency: number;
  defaultTimeoutMs: number;
  retrySchedule: number[];
  pollIntervalMs: number;
  leaseMs: number;
  /** Deliveries claimed per statement at most. */
  claimBatch?: number;
}

export interface DispatcherHooks {
  /** Builds the request; formats and transformations plug in here. Throwing records a failed attempt. */
  buildRequest?: (claimed: ClaimedDelivery, nowMs: number) => OutboundRequest | Promise<OutboundRequest>;
  /** Extra endpoints to leave queued right now (rate limit, open circuit). */
  pausedEndpoints?: (nowMs: number) => Iterable<string>;
  /** Called once an attempt is committed. Must not throw (errors are logged). */
  onAttempt?: (result: AttemptResult, claimed: ClaimedDelivery, send: SendResult) => void;
}

export interface Dispatcher {
  start(): void;
  wake(): void;
  stop(): Promise<void>;
  readonly inflight: number;
}

export function createDispatcher(
  store: Store,
  sender: Sender,
  opts: DispatcherOptions,
  log: Logger,
  hooks: DispatcherHooks = {},
  now: () => number = Date.now,
): Dispatcher {
  const perEndpoint = new Map<string, number>();
  const claimBatch = opts.claimBatch ?? 200;
  let inflight = 0;
  let running = false;
  let loopDone: Promise<void> = Promise.resolve();
  let signal: (() => void) | null = null;
  let pendingSignal = false;
  const idle = new Set<() => void>();

  const recorder = createBatcher<AttemptResult>((results) => store.recordAttempts(results, now()));

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

  function build(c: ClaimedDelivery, at: number): OutboundRequest | Promise<OutboundRequest> {
    return hooks.buildRequest ? hooks.buildRequest(c, at) : buildStandardRequest(c.endpoint, c.message, at);
  }

  async function deliver(c: ClaimedDelivery): Promise<void> {
    const startedAt = now();
    let request: OutboundRequest | null = null;
    let result: SendResult;
    try {
      request = await build(c, startedAt);
      result = await sender.send({
        url: request.url,
        headers: request.headers,
        body: request.body,
        timeoutMs: c.endpoint.timeoutMs ?? opts.defaultTimeoutMs,
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
    const finishedAt = now();
    const schedule = c.endpoint.retrySchedule ?? opts.retrySchedule;
    const { update } = decide(result, c.delivery.attempts + 1, schedule, finishedAt);
    const attempt: Attempt = {
      id: newId('atmpt', finishedAt),
      deliveryId: c.delivery.id,
      msgId: c.message.id,
      endpointId: c.endpoint.id,
      appId: c.delivery.appId,
      url: request?.url ?? c.endpoint.url,
      status: update.kind === 'succeeded' ? AttemptStatus.success : AttemptStatus.fail,
      triggerType: c.triggerType,
      parentId: c.parentAttemptId,
      responseStatusCode: result.statusCode,
      responseHeaders: result.headers,
      response: result.body,
      responseDurationMs: result.durationMs,
      requestHeaders: redactHeaders(request?.headers ?? {}),
      requestBody: request && request.body !== c.message.payload ? request.body : null,
      errorKind: result.errorKind,
      errorDetail: result.errorDetail,
      createdAt: finishedAt,
    };
    const record: AttemptResult = { attempt, deliveryId: c.delivery.id, update };
    try {
      await recorder.add(record);
      if (hooks.onAttempt) {
        try {
          hooks.onAttempt(record, c, result);
        } catch (err) {
          log.error({ err }, 'onAttempt hook failed');
        }
      }
    } catch (err) {
      // The lease will expire and the delivery will be tried again: at least once, never lost.
      log.error({ err, deliveryId: c.delivery.id }, 'could not record attempt');
    }
  }

  function release(endpointId: string): void {
    const n = (perEndpoint.get(endpointId) ?? 1) - 1;
    if (n <= 0) perEndpoint.delete(endpointId);
    else perEndpoint.set(endpointId, n);
    inflight--;
    if (inflight === 0) for (const f of idle) f();
    wake();
  }

  async function loop(): Promise<void> {
    while (running) {
      const room = Math.min(opts.workerConcurrency - inflight, claimBatch);
      let full = false;
      if (room > 0) {
        const at = now();
        const skip: string[] = [];
        for (const [id, n] of perEndpoint) if (n >= opts.endpointConcurrency) skip.push(id);
        if (hooks.pausedEndpoints) for (const id of hooks.pausedEndpoints(at)) skip.push(id);
        let claimed: ClaimedDelivery[] = [];
        try {
          claimed = await store.claimDeliveries(at, room, opts.leaseMs, skip);
        } catch (err) {
          log.error({ err }, 'claim failed');
          await waitForSignal(opts.pollIntervalMs);
          continue;
        }
        const excess: string[] = [];
        for (const c of claimed) {
          const n = perEndpoint.get(c.endpoint.id) ?? 0;
          if (n >= opts.endpointConcurrency) {
            excess.push(c.delivery.id);
            continue;
          }
          perEndpoint.set(c.endpoint.id, n + 1);
          inflight++;
          void deliver(c).finally(() => release(c.endpoint.id));
        }
        if (excess.length > 0) {
          await store.releaseDeliveries(excess).catch((err) => log.error({ err }, 'release failed'));
        }
        full = claimed.length === room && excess.length === 0;
      }
      if (full) continue;
      let sleep = opts.pollIntervalMs;
      if (room > 0) {
        const due = await store.nextDueAt().catch(() => null);
        // Something due now but skipped (endpoint at its cap) is woken by release(), not by spinning.
        if (due !== null && due > now()) sleep = Math.min(sleep, due - now());
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
    async stop() {
      running = false;
      wake();
      await loopDone;
      if (inflight > 0) await new Promise<void>((resolve) => idle.add(resolve));
      await recorder.drain();
    },
    get inflight() {
      return inflight;
    },
  };
}

/** Custom header values may be credentials: attempts keep their names only. */
function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = isReservedHeader(name) || name === 'user-agent' ? value : '[redacted]';
  }
  return out;
}

/**
 * Several extensions may watch attempts or pause endpoints; all of them are
 * called. Only one may build requests (the last one given wins).
 */
export function combineHooks(list: DispatcherHooks[]): DispatcherHooks {
  const builders = list.map((h) => h.buildRequest).filter((f) => f !== undefined);
  const paused = list.map((h) => h.pausedEndpoints).filter((f) => f !== undefined);
  const watchers = list.map((h) => h.onAttempt).filter((f) => f !== undefined);
  const out: DispatcherHooks = {};
  const builder = builders[builders.length - 1];
  if (builder) out.buildRequest = builder;
  if (paused.length > 0) out.pausedEndpoints = (now) => paused.flatMap((f) => [...f(now)]);
  if (watchers.length > 0) {
    out.onAttempt = (result, claimed, send) => {
      for (const w of watchers) w(result, claimed, send);
    };
  }
  return out;
}
