import type { Store } from '../port.js';
import { attemptFromRow, destinationFromRow, pageLimit, toJson, toPage } from '../rows.js';
import { attemptCode } from '../status-codes.js';
import { type Ctx, type Ordered, pageBound, pageOrder, prepareOrdered } from './db.js';

/** Endpoints a filter error kept from the message, unless a delivery was made since (a manual resend). */
const FILTERED_DESTINATIONS = `SELECT e.id AS endpoint_id, e.url, e.disabled, e.description, e.uid, e.channels,
    e.created_at, e.updated_at, NULL AS status, 0 AS attempts, NULL AS next_attempt_at, NULL AS trigger_type,
    f.error AS filter_error
  FROM filter_errors f JOIN endpoints e ON e.id = f.endpoint_id
  WHERE f.app_id = @app_id AND f.msg_id = @msg_id
    AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.msg_id = f.msg_id AND d.endpoint_id = f.endpoint_id)`;

type AttemptOps = Pick<Store, 'listAttempts' | 'getAttempt' | 'listAttemptedDestinations'>;

/**
 * Attempt lists are read three ways (by message, by endpoint, by app), each
 * with its own index; the statement is picked by the most selective filter
 * given, so a message's attempts never scan the whole app's log. The unary
 * `+` on app_id keeps the planner from preferring attempts_app (it cannot
 * tell which index is more selective without ANALYZE).
 */
type Anchor = 'msg_id' | 'endpoint_id' | 'app_id' | 'none';

/** The seek condition of each anchor; `none` walks the primary key (every application). */
function anchorSql(anchor: Anchor): string {
  const app = '(@app_id IS NULL OR +app_id = @app_id)';
  if (anchor === 'none') return app;
  if (anchor === 'app_id') return 'app_id = @app_id';
  return `${anchor} = @${anchor} AND ${app}`;
}

export function attemptOps(ctx: Ctx): AttemptOps {
  const listBy = (anchor: Anchor): Ordered =>
    prepareOrdered(
      ctx,
      (dir, past) => `SELECT * FROM attempts
        WHERE ${anchorSql(anchor)} AND id ${past} @bound
          AND (@msg_id IS NULL OR msg_id = @msg_id)
          AND (@endpoint_id IS NULL OR endpoint_id = @endpoint_id)
          AND (@status IS NULL OR status = @status)
          AND (@event_types IS NULL OR event_type IN (SELECT value FROM json_each(@event_types)))
          AND (@before IS NULL OR created_at < @before)
          AND (@after IS NULL OR created_at > @after)
          AND (@channel IS NULL OR EXISTS (SELECT 1 FROM messages m, json_each(m.channels) c
                WHERE m.id = attempts.msg_id AND c.value = @channel))
          AND (@tag IS NULL OR EXISTS (SELECT 1 FROM messages m, json_each(m.tags) t
                WHERE m.id = attempts.msg_id AND t.value = @tag))
          AND (@code_class IS NULL OR response_status_code BETWEEN @code_class AND @code_class + 99)
        ORDER BY id ${dir} LIMIT @limit`,
    );
  const lists: Record<Anchor, Ordered> = {
    msg_id: listBy('msg_id'),
    endpoint_id: listBy('endpoint_id'),
    app_id: listBy('app_id'),
    none: listBy('none'),
  };
  const byId = ctx.prepare('SELECT * FROM attempts WHERE app_id = ? AND id = ?');
  const destinations = prepareOrdered(
    ctx,
    (dir, past) => `SELECT * FROM (
        SELECT e.id AS endpoint_id, e.url, e.disabled, e.description, e.uid, e.channels,
          e.created_at, e.updated_at, d.status, d.attempts, d.next_attempt_at, d.trigger_type, NULL AS filter_error
        FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id
        WHERE d.app_id = @app_id AND d.msg_id = @msg_id
        UNION ALL
        ${FILTERED_DESTINATIONS}
      ) WHERE endpoint_id ${past} @bound
      ORDER BY endpoint_id ${dir} LIMIT @limit`,
  );

  return {
    async listAttempts(appId, filter, page) {
      const order = pageOrder(page);
      const limit = pageLimit(page);
      const anchor: Anchor = filter.msgId
        ? 'msg_id'
        : filter.endpointId
          ? 'endpoint_id'
          : appId !== null
            ? 'app_id'
            : 'none';
      const rows = lists[anchor](order).all({
        app_id: appId,
        msg_id: filter.msgId ?? null,
        endpoint_id: filter.endpointId ?? null,
        status: filter.status === undefined ? null : attemptCode(filter.status),
        event_types: filter.eventTypes && filter.eventTypes.length > 0 ? toJson(filter.eventTypes) : null,
        before: filter.before ?? null,
        after: filter.after ?? null,
        channel: filter.channel ?? null,
        tag: filter.tag ?? null,
        code_class: filter.statusCodeClass ?? null,
        bound: pageBound(page, order),
        limit: limit + 1,
      });
      return toPage(rows, page, (r) => String(r.id), attemptFromRow);
    },

    async getAttempt(appId, attemptId) {
      const row = byId().get(appId, attemptId);
      return row ? attemptFromRow(row) : null;
    },

    async listAttemptedDestinations(appId, msgId, page) {
      const order = pageOrder(page);
      const limit = pageLimit(page);
      const rows = destinations(order).all({
        app_id: appId,
        msg_id: msgId,
        bound: pageBound(page, order),
        limit: limit + 1,
      });
      return toPage(rows, page, (r) => String(r.endpoint_id), destinationFromRow);
    },
  };
}
