import type { Page, PageRequest } from '../../core/types.js';
import type { EndpointMessage, EndpointMessageFilter } from '../port.js';
import { endpointMessageFromRow, pageLimit, toPage } from '../rows.js';
import { deliveryCode } from '../status-codes.js';
import { type Ctx, keyset, lookupKey, Params, pageOrder, where } from './sql.js';

/**
 * An endpoint's messages (Svix's "attempted messages"): its deliveries joined
 * with their messages, paged by message id; only the filters given become conditions.
 */
export async function listEndpointMessages(
  ctx: Ctx,
  appId: string,
  endpointId: string,
  filter: EndpointMessageFilter,
  page: PageRequest,
): Promise<Page<EndpointMessage>> {
  const order = pageOrder(page);
  const limit = pageLimit(page);
  const p = new Params();
  const conditions = [
    `d.endpoint_id = ${p.add(lookupKey(endpointId))}`,
    `d.app_id = ${p.add(lookupKey(appId))}`,
    filter.status !== undefined && `d.status = ${p.add(deliveryCode(filter.status))}`,
    filter.eventTypes &&
      filter.eventTypes.length > 0 &&
      `m.event_type = ANY(${p.add(filter.eventTypes.map(lookupKey))})`,
    filter.channel !== undefined && `m.channels::jsonb ? ${p.add(lookupKey(filter.channel))}`,
    filter.tag !== undefined && `m.tags::jsonb ? ${p.add(lookupKey(filter.tag))}`,
    filter.before !== undefined && `m.created_at < ${p.add(filter.before)}::float8`,
    filter.after !== undefined && `m.created_at > ${p.add(filter.after)}::float8`,
  ];
  const { past, tail } = keyset(page, order, 'd.msg_id', limit, p);
  const { rows } = await ctx.db.query(
    `SELECT m.*, d.status AS delivery_status, d.next_attempt_at
     FROM deliveries d JOIN messages m ON m.id = d.msg_id
     ${where([...conditions, past])} ${tail}`,
    p.values,
  );
  return toPage(rows, page, (r) => String(r.id), endpointMessageFromRow);
}
