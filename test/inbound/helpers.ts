import type { InboundRequest } from '../../src/inbound/verify-types.js';

export function req(
  headers: Record<string, string>,
  body: string | Buffer,
  url = 'https://hookway.test/in/src_1',
): InboundRequest {
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v;
  return { headers: lower, rawBody: Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'), url };
}

export function without(headers: Record<string, string>, name: string): Record<string, string> {
  const copy = { ...headers };
  delete copy[name];
  return copy;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
