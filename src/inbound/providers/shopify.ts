import { digestEqual } from '../../core/crypto.js';
import type { Verifier } from '../verify-types.js';
import { fail, header, hmac, usableSecrets } from './common.js';

/**
 * Shopify: `X-Shopify-Hmac-Sha256 = base64(HMAC-SHA256(client secret, body))`
 * (base64, not hex). No signed timestamp. The dedupe key is
 * `X-Shopify-Event-Id` (same across duplicates), else `X-Shopify-Webhook-Id`.
 */
export const shopifyVerifier: Verifier = {
  type: 'shopify',
  verify(req, config) {
    const signature = header(req, 'x-shopify-hmac-sha256');
    if (!signature) return fail('missing x-shopify-hmac-sha256 header');
    const secrets = usableSecrets(config);
    if (secrets.length === 0) return fail('no secrets configured');
    const matched = secrets.some((secret) =>
      digestEqual(signature, hmac('sha256', Buffer.from(secret, 'utf8'), [req.rawBody]).toString('base64')),
    );
    if (!matched) return fail('no matching signature');
    return {
      ok: true,
      providerEventId: header(req, 'x-shopify-event-id') ?? header(req, 'x-shopify-webhook-id') ?? null,
      eventType: header(req, 'x-shopify-topic') ?? null,
    };
  },
};
