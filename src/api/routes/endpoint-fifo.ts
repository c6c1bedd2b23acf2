import type { FastifyInstance } from 'fastify';
import type { Context } from '../../context.js';
import { attemptOut, iso } from '../serialize.js';
import { loadEndpoint } from './endpoints.js';

/**
 * `GET /api/v1/app/{app}/endpoint/{endpoint}/fifo` (Hookway extension): the
 * state of a FIFO endpoint's queue, for the dashboard and for operators. The
 * head is the message being sent, or else the next to go; `held` says the
 * head's last attempt failed, so it holds `waiting` messages behind it until
 * it succeeds or runs out of attempts.
 */
export function endpointFifoRoutes(app: FastifyInstance, ctx: Context): void {
  app.get('/api/v1/app/:app_id/endpoint/:endpoint_id/fifo', async (request) => {
    const ep = await loadEndpoint(ctx, request);
    const { head, waiting } = await ctx.store.fifoQueue(ep.id);
    if (!head) return { fifo: ep.fifo, held: false, head: null, waiting };
    const [message, attempts] = await Promise.all([
      ctx.store.getMessage(ep.appId, head.msgId),
      ctx.store.listAttempts(ep.appId, { msgId: head.msgId, endpointId: ep.id }, { limit: 1 }),
    ]);
    // Two reads: an attempt recorded after the queue was read is not the head's as it was read.
    const last = head.attempts > 0 ? (attempts.data[0] ?? null) : null;
    const sending = head.status === 'sending';
    return {
      fifo: ep.fifo,
      held: last !== null && last.status !== 'succeeded',
      head: {
        deliveryId: head.id,
        msgId: head.msgId,
        eventType: message?.eventType ?? null,
        state: sending ? 'sending' : head.attempts > 0 ? 'retrying' : 'pending',
        attempts: head.attempts,
        nextAttempt: sending ? null : iso(head.nextAttemptAt),
        lastAttempt: last === null ? null : attemptOut(last),
      },
      waiting,
    };
  });
}
