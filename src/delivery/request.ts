import { signatureHeader } from '../core/signing.js';
import type { Endpoint, Message } from '../core/types.js';

/**
 * Builds the HTTP request of one attempt: pure, so it is tested without a
 * socket. The signature is recomputed on every attempt (fresh timestamp) while
 * `webhook-id` stays the message id, so receivers can deduplicate retries.
 */
export interface OutboundRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Headers an endpoint's custom headers may never set: the transport and the signature are ours. */
export const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'content-type',
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  'svix-id',
  'svix-timestamp',
  'svix-signature',
  // Hop-by-hop headers: the connection is ours, and undici refuses most of them anyway.
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'proxy-connection',
  'expect',
]);

export function isReservedHeader(name: string): boolean {
  const n = name.toLowerCase();
  return RESERVED_HEADERS.has(n) || n.startsWith('webhook-') || n.startsWith('svix-');
}

export function buildStandardRequest(endpoint: Endpoint, message: Message, nowMs: number): OutboundRequest {
  const ts = Math.floor(nowMs / 1000);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(endpoint.headers)) {
    if (!isReservedHeader(name)) headers[name.toLowerCase()] = value;
  }
  headers['content-type'] = 'application/json';
  headers['webhook-id'] = message.id;
  headers['webhook-timestamp'] = String(ts);
  headers['webhook-signature'] = signatureHeader(
    endpoint.secrets.map((s) => s.key),
    message.id,
    ts,
    message.payload,
  );
  return { url: endpoint.url, headers, body: message.payload };
}
