import type { Logger } from 'pino';
import { createBatcher } from '../core/batcher.js';
import type { HealthEvent, EndpointHealth as StoredHealth } from '../store/ops-port.js';
import type { AttemptResult, ClaimedDelivery, Store } from '../store/port.js';
import { formatOf } from './formats/index.js';
import { type DeliveryObserver, tell } from './observer.js';
import type { SendResult } from './sender.js';

/**
 * Endpoint health: the failure streak and auto-disable. Attempt outcomes are
 * written to the endpoint's row in batches (group commit, like attempts), and
 * the answers decide:
 * - the `onEndpointFailing` notice when consecutive failed attempts reach
 *   `failureNotifyCount` (default 5);
 * - auto-disable when the endpoint has been failing (an exhausted message and
 *   no success since) for `disableAfterFailingSeconds`, or after
 *   `disableAfterExhausted` consecutive exhausted messages when set.
 * The time rule is also swept periodically (start()), since a failing
 * endpoint may get no more traffic. A success on an endpoint known healthy
 * within the last few seconds is not written at all: the hot path stays
 * write-free. A target its format says is gone (a deleted chat webhook) is
 * disabled at once.
 */
export interface HealthOptions {
  disableAfterFailingSeconds: number;
  disableAfterExhausted: number;
  failureNotifyCount: number;
}

export interface EndpointHealth {
  /** An attempt was committed: count it in the endpoint's streak; disable a gone target. */
  attempted(result: AttemptResult, claimed: ClaimedDelivery, send: SendResult): void;
  /** Disables endpoints failing for too long. */
  sweep(): Promise<void>;
  /** Sweeps now, then every minute at most (more often when the disable period is shorter). */
  start(): void;
  /** Stops sweeping and writes the streaks still batched. */
  stop(): Promise<void>;
}

export interface HealthDeps {
  store: Store;
  now: () => number;
  log: Logger;
  observers: readonly DeliveryObserver[];
  /** Applications whose endpoints are never tracked nor disabled (the operational webhooks' own). */
  exempt: (appId: string) => boolean;
}

const HEALTHY_CACHE_MS = 5_000;

export function createEndpointHealth(d: HealthDeps, opts: HealthOptions): EndpointHealth {
  const { store, log } = d;
  const healthyUntil = new Map<string, number>();

  async function disabled(h: StoredHealth): Promise<void> {
    const full = await store.getEndpoint(h.appId, h.endpointId);
    log.warn({ endpointId: h.endpointId, failingSince: h.failingSince }, 'endpoint disabled: failing for too long');
    const ep = full ?? { id: h.endpointId, appId: h.appId, uid: null };
    await tell(d.observers, log, (o) => o.onEndpointDisabled?.(ep, h.failingSince));
  }

  async function react(e: HealthEvent, h: StoredHealth): Promise<void> {
    if (d.exempt(h.appId)) return;
    if (e.kind === 'failure' && opts.failureNotifyCount > 0 && h.consecutiveFailures === opts.failureNotifyCount) {
      const full = await store.getEndpoint(h.appId, h.endpointId);
      if (full) await tell(d.observers, log, (o) => o.onEndpointFailing?.(full, h.consecutiveFailures, h.failingSince));
    }
    if (e.kind !== 'exhausted' || h.disabled || h.failingSince === null) return;
    const tooMany = opts.disableAfterExhausted > 0 && h.consecutiveExhausted >= opts.disableAfterExhausted;
    const tooLong = e.at - h.failingSince >= opts.disableAfterFailingSeconds * 1000;
    if ((tooMany || tooLong) && (await store.disableEndpoint(h.endpointId, d.now()))) await disabled(h);
  }

  const batcher = createBatcher<HealthEvent>(async (events) => {
    const after = await store.trackEndpointHealth(events);
    // Answers come in event order, minus events of endpoints deleted meanwhile.
    let j = 0;
    for (const e of events) {
      const h = after[j];
      if (!h || h.endpointId !== e.endpointId) continue;
      j++;
      if (h.consecutiveFailures === 0 && h.failingSince === null)
        healthyUntil.set(h.endpointId, e.at + HEALTHY_CACHE_MS);
      try {
        await react(e, h);
      } catch (err) {
        log.error({ err, endpointId: e.endpointId }, 'failure streak reaction failed');
      }
    }
  });

  function record(event: HealthEvent): void {
    if (event.kind === 'success') {
      if ((healthyUntil.get(event.endpointId) ?? 0) > event.at) return;
    } else {
      healthyUntil.delete(event.endpointId);
    }
    if (healthyUntil.size > 100_000) healthyUntil.clear();
    batcher.add(event).catch((err) => log.error({ err }, 'could not record failure streak'));
  }

  /** The format says the target was deleted: disable the endpoint now (its deliveries are not sent again). */
  async function gone(c: ClaimedDelivery): Promise<void> {
    if (await store.disableEndpoint(c.endpoint.id, d.now())) {
      log.warn({ endpointId: c.endpoint.id }, 'chat webhook answered 404: endpoint disabled');
    }
    await tell(d.observers, log, (o) => o.onEndpointDisabled?.(c.endpoint, null));
  }

  async function sweep(): Promise<void> {
    const now = d.now();
    const list = await store.disableFailingEndpoints(now - opts.disableAfterFailingSeconds * 1000, now);
    for (const h of list) if (!d.exempt(h.appId)) await disabled(h);
  }

  let timer: NodeJS.Timeout | null = null;
  let sweeping: Promise<void> | null = null;
  let stopped = false;
  function sweepNow(): void {
    if (stopped || sweeping) return;
    sweeping = sweep()
      .catch((err) => log.error({ err }, 'failure sweep failed'))
      .finally(() => {
        sweeping = null;
      });
  }

  return {
    attempted(result, c, send) {
      if (d.exempt(c.delivery.appId)) return;
      const ok = result.update.kind === 'succeeded';
      const at = result.attempt.createdAt;
      record({ endpointId: c.endpoint.id, kind: ok ? 'success' : 'failure', at });
      if (result.update.kind === 'exhausted') record({ endpointId: c.endpoint.id, kind: 'exhausted', at });
      if (formatOf(c.endpoint.format).gone?.(send.statusCode)) {
        gone(c).catch((err) => log.error({ err, endpointId: c.endpoint.id }, 'could not disable a gone target'));
      } else if (result.update.kind === 'gone') {
        // 410 Gone: the attempt's own commit disabled the endpoint (store.recordAttempts).
        void tell(d.observers, log, (o) => o.onEndpointDisabled?.(c.endpoint, null));
      }
    },
    sweep,
    start() {
      if (timer || stopped) return;
      timer = setInterval(sweepNow, Math.min(60, opts.disableAfterFailingSeconds) * 1000);
      timer.unref();
      setImmediate(sweepNow);
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      await sweeping;
      await batcher.drain();
    },
  };
}
