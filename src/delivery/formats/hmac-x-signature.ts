import type { OutboundRequest } from '../request.js';
import { customHeaders, type FormatInput, hmacHex } from './common.js';
import type { Format } from './format.js';

/**
 * `hmac-sha256-x-signature`: the payload as is, `Content-Type`, a `User-Agent`,
 * an id header, the operator's custom headers, and
 * `X-Signature: sha256=<hex HMAC-SHA256(secret, body)>`.
 */
export function buildHmacXSignatureRequest(input: FormatInput): OutboundRequest {
  const body = input.body ?? input.message.payload;
  return {
    url: input.endpoint.url,
    headers: {
      ...customHeaders(input.endpoint),
      'content-type': 'application/json',
      'user-agent': 'Hookway-Webhooks/1.0',
      'x-message-id': input.message.id,
      'x-hookway-webhook': 'true',
      'x-signature': `sha256=${hmacHex(input.endpoint, body)}`,
    },
    body,
  };
}

export const hmacXSignature: Format = { build: buildHmacXSignatureRequest };
