import type { RateLimitNotice } from '../core/signals.js';
import type { Endpoint } from '../core/types.js';
import type { AttemptResult } from '../store/port.js';
import { CircuitBreaker } from './breaker.js';
import { formatOf } from './formats/index.js';
import { Pauses } from './pauses.js';
import { endpointRateLimits } from './rate-limit.js';
import type { SendResult } from './sender.js';

/**
 * What holds an endpoint back on this node, consulted by the dispatcher
 * before each send: its rate limit (rate-limit.ts), its circuit breaker
 * (breaker.ts) and a 429's Retry-After (pauses.ts). A held-back endpoint's
 * deliveries stay queued; nothing is dropped.
 */
export interface ThrottleOptions {
  breakerMinAttempts: number;
  breakerFailurePercent: number;
  breakerWindowSeconds: number;
  breakerProbeSeconds: number;
}

export interface Throttle {
  /** Endpoints to leave queued right now (rate-limited, circuit open, 429-paused). */
  paused(nowMs: number): string[];
  /** Waits for the endpoint's rate-limit token; in half-open, this send is the breaker's probe. */
  beforeSend(endpoint: Endpoint): Promise<void>;
  /**
   * The answer is in, before the endpoint's slot is given to its next delivery
   * (the attempt is not committed yet): a 429 pauses the endpoint and the
   * breaker counts, so the very next send already sees it.
   */
  answered(result: AttemptResult, endpoint: Endpoint, send: SendResult): void;
  /**
   * The endpoint's `rateLimit` was changed on this node: deliveries waiting
   * for a token at the old rate wait at the new one (none if lifted), and so
   * do deliveries claimed before the change with the old value.
   */
  rateLimitChanged(change: RateLimitNotice): void;
}

const MAX_PAUSE_SECONDS = 3600;

/** Rate changes remembered for deliveries claimed before them; past this many, the oldest is forgotten. */
const MAX_CHANGED_RATES = 10_000;

/** Seconds a 429 asks us to wait: the Retry-After header, else what the target's format reads in the body, else 1. */
export function retryAfterOf(send: SendResult, endpoint: Pick<Endpoint, 'format'>): number {
  if (send.retryAfterSeconds !== undefined) return send.retryAfterSeconds;
  return formatOf(endpoint.format).retryAfterSeconds?.(send.body) ?? 1;
}

/** `wake` wakes the dispatcher when a paused endpoint may resume. */
export function createThrottle(opts: ThrottleOptions, wake: () => void, now: () => number): Throttle {
  const buckets = endpointRateLimits(now);
  const breaker = new CircuitBreaker(
    {
      minAttempts: opts.breakerMinAttempts,
      failurePercent: opts.breakerFailurePercent,
      windowMs: opts.breakerWindowSeconds * 1000,
      probeMs: opts.breakerProbeSeconds * 1000,
    },
    now,
  );
  const pauses = new Pauses();
  // A delivery carries the endpoint as it was claimed, possibly before a rate change; a change
  // seen on this node wins over an older copy (by updatedAt), and a newer copy (another node
  // changed the rate since) wins over the change.
  const changedRates = new Map<string, RateLimitNotice>();
  // Deliveries asleep until their token, by endpoint: a rate change wakes them to reserve again.
  // Without it, lifting a limit of 1/s left the 64 deliveries of a full lane asleep for up to a minute.
  const sleepers = new Map<string, Set<() => void>>();

  /** Sleeps `ms`; true if the endpoint's rate changed meanwhile (the token reserved no longer holds). */
  function sleepUnlessChanged(endpointId: string, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const set = sleepers.get(endpointId) ?? new Set<() => void>();
      sleepers.set(endpointId, set);
      const changed = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        set.delete(changed);
        if (set.size === 0 && sleepers.get(endpointId) === set) sleepers.delete(endpointId);
        resolve(false);
      }, ms);
      set.add(changed);
    });
  }

  // A paused endpoint becomes sendable at a known time (a token, a probe, the end of a Retry-After):
  // wake the dispatcher then, instead of waiting for its next poll.
  let timer: NodeJS.Timeout | null = null;
  let timerAt = Number.POSITIVE_INFINITY;
  function wakeAt(at: number | null, nowMs: number): void {
    if (at === null || at >= timerAt) return;
    if (timer) clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(
      () => {
        timer = null;
        timerAt = Number.POSITIVE_INFINITY;
        wake();
      },
      Math.max(1, at - nowMs),
    );
    timer.unref();
  }

  return {
    paused(at) {
      const paused = [...buckets.paused(at), ...breaker.paused(at), ...pauses.active(at)];
      if (paused.length > 0) {
        for (const next of [buckets.nextTokenAt(at), breaker.nextProbeAt(), pauses.nextEnd()]) wakeAt(next, at);
      }
      return paused;
    },
    async beforeSend(ep) {
      for (;;) {
        const changed = changedRates.get(ep.id);
        const rate = changed && changed.updatedAt > ep.updatedAt ? changed.rateLimit : ep.rateLimit;
        if (rate === null || rate <= 0) break;
        const wait = buckets.reserve(ep.id, rate);
        if (wait <= 0 || !(await sleepUnlessChanged(ep.id, wait))) break;
      }
      breaker.starting(ep.id);
    },
    rateLimitChanged(change) {
      const { endpointId } = change;
      changedRates.delete(endpointId);
      changedRates.set(endpointId, change);
      if (changedRates.size > MAX_CHANGED_RATES) changedRates.delete(changedRates.keys().next().value as string);
      buckets.forget(endpointId);
      const waiting = sleepers.get(endpointId);
      sleepers.delete(endpointId);
      for (const changed of waiting ?? []) changed();
      // The endpoint may have been listed as paused: claim its deliveries now.
      wake();
    },
    answered(result, ep, send) {
      const at = result.attempt.createdAt;
      breaker.record(ep.id, result.update.kind === 'succeeded', at);
      if (send.statusCode === 429) {
        pauses.pause(ep.id, at + Math.min(retryAfterOf(send, ep), MAX_PAUSE_SECONDS) * 1000);
      }
    },
  };
}
