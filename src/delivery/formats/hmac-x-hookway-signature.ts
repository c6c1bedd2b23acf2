import type { OutboundRequest } from '../request.js';
import { customHeaders, type FormatInput, hmacHex } from './common.js';
import type { Format } from './format.js';

/**
 * `hmac-sha256-x-hookway-signature`: the body signed as
 * `X-Hookway-Signature: sha256=<hex HMAC-SHA256(secret, body)>`, with
 * `X-Hookway-Event`, `X-Hookway-Webhook-Id` (the endpoint id) and `User-Agent: Hookway-Webhooks/1.0`.
 */
export function buildHmacXHookwaySignatureRequest(input: FormatInput): OutboundRequest {
  const body = input.body ?? input.message.payload;
  return {
    url: input.endpoint.url,
    headers: {
      ...customHeaders(input.endpoint),
      'content-type': 'application/json',
      'x-hookway-event': input.message.eventType,
      'x-hookway-signature': `sha256=${hmacHex(input.endpoint, body)}`,
      'x-hookway-webhook-id': input.endpoint.id,
      'user-agent': 'Hookway-Webhooks/1.0',
    },
    body,
  };
}

export const hmacXHookwaySignature: Format = { build: buildHmacXHookwaySignatureRequest };
