import type { OutboundRequest } from '../request.js';
import { customHeaders, type FormatInput, hmacHex, isRecord, parsePayload } from './common.js';
import type { Format } from './format.js';

/**
 * `hmac-sha256-hex-x-webhook-signature`: the body is `{event, timestamp,
 * user_id, data}` (user_id taken from the payload when it has one), with
 * `X-Webhook-Id` (the endpoint id), `X-Webhook-Event`,
 * `X-Webhook-Timestamp` (ISO 8601) and `X-Webhook-Signature` =
 * hex(HMAC-SHA256(secret, body)), no prefix.
 */
export function envelopeBody(input: FormatInput): string {
  const payload = parsePayload(input.message);
  const userId = isRecord(payload) && 'user_id' in payload ? payload.user_id : null;
  return JSON.stringify({
    event: input.message.eventType,
    timestamp: new Date(input.message.createdAt).toISOString(),
    user_id: userId ?? null,
    data: payload,
  });
}

export function buildHmacHexXWebhookSignatureRequest(input: FormatInput): OutboundRequest {
  const body = input.body ?? envelopeBody(input);
  return {
    url: input.endpoint.url,
    headers: {
      ...customHeaders(input.endpoint),
      'content-type': 'application/json',
      'x-webhook-id': input.endpoint.id,
      'x-webhook-event': input.message.eventType,
      'x-webhook-timestamp': new Date(input.nowMs).toISOString(),
      'x-webhook-signature': hmacHex(input.endpoint, body),
    },
    body,
  };
}

export const hmacHexXWebhookSignature: Format = { build: buildHmacHexXWebhookSignatureRequest };
