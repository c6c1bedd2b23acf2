import type { FastifyInstance } from 'fastify';
import { invalid, notFound } from '../../../core/errors.js';
import { INBOUND_STATUSES, type InboundStatus } from '../../../store/inbound-port.js';
import { dateParam, intParam, pageRequest, type Query, stringParam } from '../../params.js';
import { type InboundRoutesCtx, loadSource } from './access.js';
import { inboundEventOut, rejectionOut } from './serialize.js';

/**
 * The operator's view of a source (Hookway extensions):
 * its inbound events (filters `type`, `status`, `since`; `limit` default 100,
 * max 500; `offset` and `iterator`), one event with its raw body and
 * (redacted) headers, reprocessing one event or every event of a status
 * since a time, per-source stats, and rejected requests with their reasons.
 */
const BULK_MAX = 10_000;

function statusParam(q: Query): InboundStatus | undefined {
  const s = stringParam(q, 'status');
  if (s === undefined) return undefined;
  if (!INBOUND_STATUSES.includes(s as InboundStatus))
    throw invalid(`status must be one of ${INBOUND_STATUSES.join(', ')}.`);
  return s as InboundStatus;
}

export function inboundEventRoutes(app: FastifyInstance, ctx: InboundRoutesCtx): void {
  const { api, inbound } = ctx;
  const base = '/ingest/api/v1/source/:source_id';

  app.get(`${base}/event`, async (request) => {
    const source = await loadSource(ctx, request, 'read');
    const q = request.query as Query;
    const page = pageRequest(q, { limit: 100, max: 500 });
    const offset = intParam(q, 'offset', 0, 1_000_000) ?? 0;
    const p = await api.store.listInboundEvents(
      source.id,
      { status: statusParam(q), eventType: stringParam(q, 'type'), since: dateParam(q, 'since') },
      { ...page, offset },
    );
    return { ...p, data: p.data.map((e) => inboundEventOut(e)), limit: page.limit, offset };
  });

  app.get(`${base}/event/:event_id`, async (request) => {
    const source = await loadSource(ctx, request, 'read');
    const { event_id } = request.params as { event_id: string };
    let event = await api.store.getInboundEvent(source.id, event_id);
    if (!event) throw notFound('Inbound event');
    // Settling follows attempts within moments; an event still `forwarded` long after was
    // left by a node that stopped in between, so the read settles it.
    const msgIds = [event.msgId, event.forwardMsgId].filter((id) => id !== null);
    if (event.status === 'forwarded' && msgIds.length > 0 && api.now() - event.updatedAt > 5_000) {
      await api.store.settleInbound(msgIds, {}, api.now());
      event = (await api.store.getInboundEvent(source.id, event_id)) ?? event;
    }
    return inboundEventOut(event, true);
  });

  app.post(`${base}/event/:event_id/reprocess`, async (request, reply) => {
    const source = await loadSource(ctx, request, 'write');
    const { event_id } = request.params as { event_id: string };
    const event = await api.store.getInboundEvent(source.id, event_id);
    if (!event) throw notFound('Inbound event');
    const status = await inbound.reprocess(event);
    return reply.status(202).send({ id: event.id, status });
  });

  /** Body `{status: 'error' (default) | 'unhandled' | ..., since?: ISO date}`; at most 10,000 per call. */
  app.post(`${base}/reprocess`, async (request, reply) => {
    const source = await loadSource(ctx, request, 'write');
    const body = (request.body ?? {}) as { status?: string; since?: string };
    const status = statusParam({ status: body.status ?? 'error' });
    const since = dateParam({ since: body.since }, 'since');
    let reprocessed = 0;
    let iterator: string | undefined;
    // Oldest first, so events that change status behind the cursor are not seen twice.
    for (;;) {
      const page = await api.store.listInboundEvents(
        source.id,
        { status, since },
        { limit: 500, iterator, order: 'asc' },
      );
      for (const summary of page.data) {
        const event = await api.store.getInboundEvent(source.id, summary.id);
        if (!event) continue;
        await inbound.reprocess(event);
        reprocessed++;
      }
      if (page.done || reprocessed >= BULK_MAX || !page.iterator) break;
      iterator = page.iterator;
    }
    return reply.status(202).send({ reprocessed, done: reprocessed < BULK_MAX });
  });

  app.get(`${base}/stats`, async (request) => {
    const source = await loadSource(ctx, request, 'read');
    return api.store.inboundStats(source.id, api.now());
  });

  app.get(`${base}/rejected`, async (request) => {
    const source = await loadSource(ctx, request, 'read');
    const p = await api.store.listRejections(source.id, pageRequest(request.query as Query));
    return { ...p, data: p.data.map(rejectionOut) };
  });
}
