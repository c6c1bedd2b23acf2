import type { Endpoint, Message } from '../core/types.js';
import { buildFormattedRequest } from './formats/index.js';
import type { OutboundRequest } from './request.js';
import { runTransformation, transformInput } from './transform.js';

/**
 * The request of one attempt: the endpoint's transformation (if any) runs
 * first, then the endpoint's format builds and signs the request around its
 * body. Throws when the transformation or the format fails; the dispatcher
 * records that as a failed attempt.
 */
export function buildRequest(
  c: { endpoint: Endpoint; message: Message },
  nowMs: number,
  transformTimeoutMs: number,
): OutboundRequest {
  const ep = c.endpoint;
  if (!ep.transformation) return buildFormattedRequest({ endpoint: ep, message: c.message, nowMs });
  const t = runTransformation(ep.transformation, transformInput(c.message, ep), transformTimeoutMs);
  // The sender's guard checks a transformed url like any other, at connect time.
  const req = buildFormattedRequest({
    endpoint: { ...ep, url: t.url ?? ep.url },
    message: c.message,
    nowMs,
    body: t.body,
  });
  return { ...req, headers: { ...t.headers, ...req.headers } };
}
