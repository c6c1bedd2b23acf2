import type { InboundRequest } from './verify-types.js';

/**
 * The received body decoded once per request. A verifier reads the body for
 * the event's type and id, and the forwarding path needs to know whether it is
 * JSON; each used to decode and parse it on its own. A GitHub `push` delivery
 * is tens of KB, whose JSON.parse alone costs about as much as the rest of
 * the request. Keyed by the request object, so verifiers stay pure functions of
 * it and nothing outlives the request.
 */
const texts = new WeakMap<InboundRequest, string>();
const parsed = new WeakMap<InboundRequest, { json: unknown } | null>();

/** The body as UTF-8 text. */
export function bodyText(req: InboundRequest): string {
  let text = texts.get(req);
  if (text === undefined) {
    text = req.rawBody.toString('utf8');
    texts.set(req, text);
  }
  return text;
}

/** The body parsed as JSON (any JSON value), or null when it is not JSON. */
export function bodyJson(req: InboundRequest): { json: unknown } | null {
  let result = parsed.get(req);
  if (result === undefined) {
    try {
      result = { json: JSON.parse(bodyText(req)) };
    } catch {
      result = null;
    }
    parsed.set(req, result);
  }
  return result;
}
