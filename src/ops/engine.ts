import type { Logger } from 'pino';
import type { Context } from '../context.js';
import type { TokenBuckets } from '../core/token-bucket.js';
import type { DispatcherHooks } from '../delivery/dispatcher.js';
import { buildFormattedRequest } from '../delivery/formats/index.js';
import type { SendResult } from '../delivery/sender.js';
import { runTransformation, transformInput } from '../delivery/transform.js';
import type { AttemptResult, ClaimedDelivery } from '../store/port.js';
import type { CircuitBreaker } from './breaker.js';
import type { HealthTracker } from './health.js';
import type { OpsMetrics } from './metrics.js';
import type { Operational } from './operational.js';
import type { Pauses } from './rate-limit.js';

/**
 * The dispatcher hooks of operations (wired in server.ts):
 * - buildRequest: waits for the endpoint's rate-limit token, runs the
 *   transformation (if any) and builds the request in the endpoint's format;
 * - pausedEndpoints: rate-limited, circuit-open and 429-paused endpoints;
 * - onAttempt: metrics, breaker, failure streak, operational webhooks, and
 *   Retry-After pauses.
 */
export interface EngineDeps {
  ctx: Context;
  log: Logger;
  transformTimeoutMs: number;
  buckets: TokenBuckets;
  breaker: CircuitBreaker;
  pauses: Pauses;
  metrics: OpsMetrics;
  health: HealthTracker;
  op: Operational;
}

/** Svix sends `message.attempt.failing` on the 4th failed attempt. */
export const FAILING_ATTEMPT = 4;
const MAX_PAUSE_SECONDS = 3600;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Seconds a 429 asks us to wait: the Retry-After header, else Discord's JSON `retry_after`, else 1. */
export function retryAfterOf(send: SendResult): number {
  if (send.retryAfterSeconds !== undefined) return send.retryAfterSeconds;
  try {
    const parsed = JSON.parse(send.body) as { retry_after?: unknown };
    if (typeof parsed.retry_after === 'number' && parsed.retry_after >= 0) return parsed.retry_after;
  } catch {
    // not JSON
  }
  return 1;
}

export function createEngineHooks(d: EngineDeps): DispatcherHooks {
  const { ctx } = d;

  async function buildRequest(c: ClaimedDelivery) {
    const ep = c.endpoint;
    if (ep.rateLimit !== null && ep.rateLimit > 0) {
      const wait = d.buckets.reserve(ep.id, ep.rateLimit);
      if (wait > 0) await sleep(wait);
    }
    d.breaker.starting(ep.id);
    const at = ctx.now();
    if (!ep.transformation) return buildFormattedRequest({ endpoint: ep, message: c.message, nowMs: at });
    const t = runTransformation(ep.transformation, transformInput(c.message, ep), d.transformTimeoutMs);
    // The sender's guard checks a transformed url like any other, at connect time.
    const req = buildFormattedRequest({
      endpoint: { ...ep, url: t.url ?? ep.url },
      message: c.message,
      nowMs: at,
      body: t.body,
    });
    return { ...req, headers: { ...t.headers, ...req.headers } };
  }

  async function events(result: AttemptResult, c: ClaimedDelivery, send: SendResult): Promise<void> {
    const { attempt, update } = result;
    const attemptNo = c.delivery.attempts + 1;
    const base = async () => ({
      ...(await d.op.endpointRef(c.endpoint)),
      msgId: c.message.id,
      msgEventId: c.message.eventId,
      lastAttempt: {
        id: attempt.id,
        responseStatusCode: attempt.responseStatusCode,
        timestamp: new Date(attempt.createdAt).toISOString(),
      },
    });
    if (update.kind === 'succeeded') {
      const schedule = c.endpoint.retrySchedule ?? ctx.config.retrySchedule;
      // Recovered: a failing or exhausted event was sent for this delivery before.
      if (c.delivery.attempts >= Math.min(FAILING_ATTEMPT, schedule.length + 1)) {
        await d.op.emit('message.attempt.recovered', await base());
      }
      return;
    }
    if (attemptNo === FAILING_ATTEMPT && update.kind === 'retry')
      await d.op.emit('message.attempt.failing', await base());
    if (update.kind === 'exhausted') await d.op.emit('message.attempt.exhausted', await base());
    const chatGone = (c.endpoint.format === 'slack' || c.endpoint.format === 'discord') && send.statusCode === 404;
    if (chatGone && (await ctx.store.disableEndpoint(c.endpoint.id, ctx.now()))) {
      d.log.warn({ endpointId: c.endpoint.id }, 'chat webhook answered 404: endpoint disabled');
    }
    if (update.kind === 'gone' || chatGone) {
      await d.op.emit('endpoint.disabled', {
        ...(await d.op.endpointRef(c.endpoint)),
        failSince: null,
        trigger: 'automatic',
      });
    }
  }

  // Before the endpoint's next send: a 429 pauses it and the breaker counts at once.
  function onResponse(result: AttemptResult, c: ClaimedDelivery, send: SendResult): void {
    const at = result.attempt.createdAt;
    d.breaker.record(c.endpoint.id, result.update.kind === 'succeeded', at);
    if (send.statusCode === 429) {
      d.pauses.pause(c.endpoint.id, at + Math.min(retryAfterOf(send), MAX_PAUSE_SECONDS) * 1000);
    }
  }

  function onAttempt(result: AttemptResult, c: ClaimedDelivery, send: SendResult): void {
    const ok = result.update.kind === 'succeeded';
    const at = result.attempt.createdAt;
    d.metrics.attempt(ok, send.statusCode);
    if (ok) d.metrics.delivered((at - c.message.createdAt) / 1000);
    if (d.op.isInternal(c.delivery.appId)) return;
    d.health.record({ endpointId: c.endpoint.id, kind: ok ? 'success' : 'failure', at });
    if (result.update.kind === 'exhausted') d.health.record({ endpointId: c.endpoint.id, kind: 'exhausted', at });
    events(result, c, send).catch((err) => d.log.error({ err }, 'operational webhook failed'));
  }

  // A paused endpoint becomes sendable at a known time (a token, a probe, the end of a Retry-After):
  // wake the dispatcher then, instead of waiting for its next poll.
  let timer: NodeJS.Timeout | null = null;
  let timerAt = Number.POSITIVE_INFINITY;
  function wakeAt(at: number | null, now: number): void {
    if (at === null || at >= timerAt) return;
    if (timer) clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(
      () => {
        timer = null;
        timerAt = Number.POSITIVE_INFINITY;
        ctx.wake();
      },
      Math.max(1, at - now),
    );
    timer.unref();
  }

  function pausedEndpoints(at: number): string[] {
    const paused = [...d.buckets.paused(at), ...d.breaker.paused(at), ...d.pauses.active(at)];
    if (paused.length > 0) {
      for (const next of [d.buckets.nextTokenAt(at), d.breaker.nextProbeAt(), d.pauses.nextEnd()]) wakeAt(next, at);
    }
    return paused;
  }

  return { buildRequest, pausedEndpoints, onAttempt, onResponse };
}
