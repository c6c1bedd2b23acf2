import type { Store } from '../port.js';
import { endpointMessageFromRow, pageLimit, toPage } from '../rows.js';
import { deliveryCode } from '../status-codes.js';
import { type Ctx, pageBound, pageOrder, prepareOrdered } from './db.js';
import { messageFilterParams } from './messages.js';

type EndpointMessageOps = Pick<Store, 'listEndpointMessages'>;

/**
 * An endpoint's messages (Svix's "attempted messages"): its deliveries joined
 * with their messages, paged by message id; the (msg_id, endpoint_id) key of
 * deliveries serves the join. Filters are `@x IS NULL OR ...` as in messages.ts.
 */
export function endpointMessageOps(ctx: Ctx): EndpointMessageOps {
  const list = prepareOrdered(
    ctx,
    (dir, past) => `SELECT m.*, d.status AS delivery_status, d.next_attempt_at
      FROM deliveries d JOIN messages m ON m.id = d.msg_id
      WHERE d.endpoint_id = @endpoint_id AND d.app_id = @app_id AND d.msg_id ${past} @bound
        AND (@status IS NULL OR d.status = @status)
        AND (@event_types IS NULL OR m.event_type IN (SELECT value FROM json_each(@event_types)))
        AND (@channel IS NULL OR EXISTS (SELECT 1 FROM json_each(m.channels) WHERE value = @channel))
        AND (@tag IS NULL OR EXISTS (SELECT 1 FROM json_each(m.tags) WHERE value = @tag))
        AND (@before IS NULL OR m.created_at < @before)
        AND (@after IS NULL OR m.created_at > @after)
      ORDER BY d.msg_id ${dir} LIMIT @limit`,
  );
  return {
    async listEndpointMessages(appId, endpointId, filter, page) {
      const order = pageOrder(page);
      const limit = pageLimit(page);
      const rows = list(order).all({
        app_id: appId,
        endpoint_id: endpointId,
        bound: pageBound(page, order),
        status: filter.status === undefined ? null : deliveryCode(filter.status),
        ...messageFilterParams(filter),
        limit: limit + 1,
      });
      return toPage(rows, page, (r) => String(r.id), endpointMessageFromRow);
    },
  };
}
