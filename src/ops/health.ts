import type { Logger } from 'pino';
import type { Context } from '../context.js';
import { createBatcher } from '../core/batcher.js';
import type { EndpointHealth, HealthEvent } from '../store/ops-port.js';
import type { Operational } from './operational.js';

/**
 * The failure streak tracker. Attempt outcomes are written to the endpoint's
 * row in batches (group commit, like attempts), and the answers decide:
 * - the `endpoint.failing` notification when consecutive failed attempts
 *   reach `failureNotifyCount` (default 5);
 * - auto-disable when the endpoint has been failing (an exhausted message and
 *   no success since) for `disableAfterFailingSeconds`, or after
 *   `disableAfterExhausted` consecutive exhausted messages when set.
 * The time rule is also swept periodically, since a failing endpoint may get
 * no more traffic. A success on an endpoint known healthy within the last
 * few seconds is not written at all: the hot path stays write-free.
 */
export interface HealthOptions {
  disableAfterFailingSeconds: number;
  disableAfterExhausted: number;
  failureNotifyCount: number;
}

export interface HealthTracker {
  record(event: HealthEvent): void;
  /** Disables endpoints failing for too long; run periodically. */
  sweep(): Promise<void>;
  drain(): Promise<void>;
}

const HEALTHY_CACHE_MS = 5_000;

export function createHealthTracker(ctx: Context, op: Operational, opts: HealthOptions, log: Logger): HealthTracker {
  const healthyUntil = new Map<string, number>();
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

  async function disabled(h: EndpointHealth): Promise<void> {
    const full = await ctx.store.getEndpoint(h.appId, h.endpointId);
    const ref = await op.endpointRef(full ?? { id: h.endpointId, appId: h.appId, uid: null });
    log.warn({ endpointId: h.endpointId, failingSince: h.failingSince }, 'endpoint disabled: failing for too long');
    await op.emit('endpoint.disabled', { ...ref, failSince: iso(h.failingSince), trigger: 'automatic' });
  }

  async function react(e: HealthEvent, h: EndpointHealth): Promise<void> {
    if (op.isInternal(h.appId)) return;
    if (e.kind === 'failure' && opts.failureNotifyCount > 0 && h.consecutiveFailures === opts.failureNotifyCount) {
      const full = await ctx.store.getEndpoint(h.appId, h.endpointId);
      if (full) {
        await op.emit('endpoint.failing', {
          ...(await op.endpointRef(full)),
          consecutiveFailures: h.consecutiveFailures,
          failSince: iso(h.failingSince),
        });
      }
    }
    if (e.kind !== 'exhausted' || h.disabled || h.failingSince === null) return;
    const tooMany = opts.disableAfterExhausted > 0 && h.consecutiveExhausted >= opts.disableAfterExhausted;
    const tooLong = e.at - h.failingSince >= opts.disableAfterFailingSeconds * 1000;
    if ((tooMany || tooLong) && (await ctx.store.disableEndpoint(h.endpointId, ctx.now()))) await disabled(h);
  }

  const batcher = createBatcher<HealthEvent>(async (events) => {
    const after = await ctx.store.trackEndpointHealth(events);
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

  return {
    record(event) {
      if (event.kind === 'success') {
        if ((healthyUntil.get(event.endpointId) ?? 0) > event.at) return;
      } else {
        healthyUntil.delete(event.endpointId);
      }
      if (healthyUntil.size > 100_000) healthyUntil.clear();
      batcher.add(event).catch((err) => log.error({ err }, 'could not record failure streak'));
    },
    async sweep() {
      const now = ctx.now();
      const list = await ctx.store.disableFailingEndpoints(now - opts.disableAfterFailingSeconds * 1000, now);
      for (const h of list) if (!op.isInternal(h.appId)) await disabled(h);
    },
    drain: () => batcher.drain(),
  };
}
