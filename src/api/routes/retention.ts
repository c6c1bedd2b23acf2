import type { FastifyInstance } from 'fastify';
import type { Context } from '../../context.js';
import { withoutUserinfo } from '../../core/display-url.js';
import { invalid, notFound } from '../../core/errors.js';
import { svixStatus } from '../../core/svix-status.js';
import { ATTEMPT_COLUMNS, type ExportFormat, exportStream, keysetPages } from '../../ops/export.js';
import type { InboundEventRow } from '../../store/ops-port.js';
import { loadApp, requireAdmin } from '../access.js';
import { dateParam, type Query, stringParam } from '../params.js';

/**
 * Retention and export: Svix's `DELETE .../msg/{msg_id}/content`, and
 * streamed exports of messages, attempts (per application) and inbound
 * events (admin), as CSV or NDJSON, over `since`/`until`.
 */
const PAGE = 1000;

function formatOf(q: Query): ExportFormat {
  const f = stringParam(q, 'format') ?? 'ndjson';
  if (f !== 'csv' && f !== 'ndjson') throw invalid('format must be csv or ndjson.');
  return f;
}

const contentType = (f: ExportFormat) => (f === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson');
const iso = (ms: number) => new Date(ms).toISOString();

export function retentionRoutes(app: FastifyInstance, ctx: Context): void {
  app.delete('/api/v1/app/:app_id/msg/:msg_id/content', async (request, reply) => {
    const { app_id, msg_id } = request.params as { app_id: string; msg_id: string };
    const application = await loadApp(ctx, request, app_id);
    const message = await ctx.store.getMessage(application.id, msg_id);
    if (!message || !(await ctx.store.expungeMessageContent(application.id, message.id))) throw notFound('Message');
    return reply.status(204).send();
  });

  app.get('/api/v1/app/:app_id/export/:kind', async (request, reply) => {
    const { app_id, kind } = request.params as { app_id: string; kind: string };
    const application = await loadApp(ctx, request, app_id);
    const q = request.query as Query;
    const format = formatOf(q);
    const since = dateParam(q, 'since');
    const until = dateParam(q, 'until');
    const window = { after: since === undefined ? undefined : since - 1, before: until };
    let stream: ReturnType<typeof exportStream>;
    if (kind === 'messages') {
      const columns = ['id', 'eventType', 'eventId', 'channels', 'tags', 'timestamp', 'payload'];
      stream = exportStream(
        format,
        columns,
        keysetPages((iterator) =>
          ctx.store.listMessages(application.id, window, { limit: PAGE, iterator, order: 'asc' }),
        ),
        (m) => ({
          id: m.id,
          eventType: m.eventType,
          eventId: m.eventId,
          channels: m.channels ? m.channels.join(' ') : null,
          tags: m.tags ? m.tags.join(' ') : null,
          timestamp: iso(m.createdAt),
          payload: m.payload,
        }),
      );
    } else if (kind === 'attempts') {
      stream = exportStream(
        format,
        ATTEMPT_COLUMNS,
        keysetPages((iterator) =>
          ctx.store.listAttempts(application.id, window, { limit: PAGE, iterator, order: 'asc' }),
        ),
        (a) => ({
          id: a.id,
          msgId: a.msgId,
          endpointId: a.endpointId,
          url: withoutUserinfo(a.url),
          status: svixStatus(a.status),
          responseStatusCode: a.responseStatusCode,
          responseDurationMs: a.responseDurationMs,
          triggerType: a.triggerType,
          parentId: a.parentId,
          errorKind: a.errorKind,
          errorDetail: withoutUserinfo(a.errorDetail),
          timestamp: iso(a.createdAt),
        }),
      );
    } else {
      throw notFound('Export');
    }
    const name = `${application.id}-${kind}.${format === 'csv' ? 'csv' : 'ndjson'}`;
    return reply
      .header('content-type', contentType(format))
      .header('content-disposition', `attachment; filename="${name}"`)
      .send(stream);
  });

  app.get('/api/v1/export/inbound-events', async (request, reply) => {
    requireAdmin(request);
    const q = request.query as Query;
    const format = formatOf(q);
    const since = dateParam(q, 'since') ?? 0;
    const until = (dateParam(q, 'until') ?? ctx.now()) + 1;
    if ((await ctx.store.exportInboundEvents(since, until, null, 1)) === null) throw notFound('Inbound events');
    async function* pages() {
      let after: string | null = null;
      for (;;) {
        const rows: InboundEventRow[] = (await ctx.store.exportInboundEvents(since, until, after, PAGE)) ?? [];
        if (rows.length > 0) yield rows;
        if (rows.length < PAGE) return;
        after = rows[rows.length - 1]?.id ?? null;
      }
    }
    const columns = ['id', 'sourceId', 'eventType', 'eventId', 'status', 'error', 'attempts', 'receivedAt'];
    const stream = exportStream(format, columns, pages(), (e) => ({
      id: e.id,
      sourceId: e.sourceId,
      eventType: e.eventType,
      eventId: e.providerEventId,
      status: e.status,
      error: e.error,
      attempts: e.attempts,
      receivedAt: iso(e.receivedAt),
    }));
    return reply.header('content-type', contentType(format)).send(stream);
  });
}
