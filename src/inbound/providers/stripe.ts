import { digestEqual } from '../../core/crypto.js';
import type { InboundRequest, SourceConfig, Verifier, VerifyResult } from '../verify-types.js';
import {
  fail,
  header,
  hmac,
  parseBody,
  parseUnixSeconds,
  stringField,
  timestampProblem,
  tolerance,
  usableSecrets,
} from './common.js';

/**
 * Stripe: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>][,v0=<hex>]`, each v1
 * = hex(HMAC-SHA256(secret, `${t}.${body}`)) where the key is the `whsec_…`
 * string itself as UTF-8 (not base64-decoded). Only `v1` counts: `v0` is a
 * fake test-mode signature and accepting other schemes would allow downgrades.
 * Like stripe-node, only too-old timestamps are rejected.
 */
export function parseStripeSignature(value: string): { timestamp: string; v1: string[] } | null {
  let timestamp: string | null = null;
  const v1: string[] = [];
  for (const item of value.split(',')) {
    const eq = item.indexOf('=');
    if (eq < 0) continue;
    const key = item.slice(0, eq).trim();
    const val = item.slice(eq + 1).trim();
    if (key === 't') {
      if (timestamp !== null && timestamp !== val) return null;
      timestamp = val;
    } else if (key === 'v1' && val !== '') {
      v1.push(val);
    }
  }
  return timestamp === null ? null : { timestamp, v1 };
}

function verify(req: InboundRequest, config: SourceConfig, nowSeconds: number): VerifyResult {
  const value = header(req, 'stripe-signature');
  if (!value) return fail('missing stripe-signature header');
  const parsed = parseStripeSignature(value);
  if (!parsed) return fail('invalid stripe-signature header');
  const ts = parseUnixSeconds(parsed.timestamp);
  if (ts === null) return fail('invalid stripe-signature timestamp');
  if (parsed.v1.length === 0) return fail('no v1 signature in stripe-signature header');
  const secrets = usableSecrets(config);
  if (secrets.length === 0) return fail('no secrets configured');
  const problem = timestampProblem(ts, nowSeconds, tolerance(config), false);
  if (problem) return fail(problem);

  for (const secret of secrets) {
    const expected = hmac('sha256', Buffer.from(secret, 'utf8'), [`${parsed.timestamp}.`, req.rawBody]).toString('hex');
    for (const candidate of parsed.v1) {
      if (digestEqual(candidate, expected)) {
        const body = parseBody(req);
        return { ok: true, providerEventId: stringField(body, 'id'), eventType: stringField(body, 'type') };
      }
    }
  }
  return fail('no matching signature');
}

export const stripeVerifier: Verifier = { type: 'stripe', verify };
