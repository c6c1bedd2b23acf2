import type { Context } from '../context.js';
import type { DeliveryObserver } from '../delivery/observer.js';
import type { AttemptResult, ClaimedDelivery } from '../store/port.js';
import type { OpsState } from './state.js';

/**
 * What operations does with what delivery reports (wired in server.ts): it
 * counts attempts and latencies (metrics.ts) and emits the operational
 * webhooks (operational.ts): message.attempt.failing, .exhausted and
 * .recovered after attempts, endpoint.failing and endpoint.disabled when
 * delivery's endpoint health says so. It only watches: nothing here changes
 * a send.
 */

/** Svix sends `message.attempt.failing` on the 4th failed attempt. */
export const FAILING_ATTEMPT = 4;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function createOpsObserver(ctx: Context, s: OpsState): DeliveryObserver {
  const { op } = s;

  async function events(result: AttemptResult, c: ClaimedDelivery): Promise<void> {
    const { attempt, update } = result;
    const attemptNo = c.delivery.attempts + 1;
    const base = async () => ({
      ...(await op.endpointRef(c.endpoint)),
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
        await op.emit('message.attempt.recovered', await base());
      }
      return;
    }
    if (attemptNo === FAILING_ATTEMPT && update.kind === 'retry')
      await op.emit('message.attempt.failing', await base());
    if (update.kind === 'exhausted') await op.emit('message.attempt.exhausted', await base());
  }

  return {
    onAttempt(result, c, send) {
      const ok = result.update.kind === 'succeeded';
      s.metrics.attempt(ok, send.statusCode);
      if (ok) s.metrics.delivered((result.attempt.createdAt - c.message.createdAt) / 1000);
      if (op.isInternal(c.delivery.appId)) return;
      events(result, c).catch((err) => s.log.error({ err }, 'operational webhook failed'));
    },
    async onEndpointFailing(endpoint, consecutiveFailures, failingSince) {
      await op.emit('endpoint.failing', {
        ...(await op.endpointRef(endpoint)),
        consecutiveFailures,
        failSince: iso(failingSince),
      });
    },
    async onEndpointDisabled(endpoint, failingSince) {
      await op.emit('endpoint.disabled', {
        ...(await op.endpointRef(endpoint)),
        failSince: iso(failingSince),
        trigger: 'automatic',
      });
    },
  };
}
