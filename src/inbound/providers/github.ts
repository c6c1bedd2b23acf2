import { digestEqual } from '../../core/crypto.js';
import type { Verifier } from '../verify-types.js';
import { fail, header, hmac, parseBody, stringField, usableSecrets } from './common.js';

/**
 * GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, body)>`. No
 * timestamp, so replay protection is the dedupe on `X-GitHub-Delivery`
 * (unchanged on redelivery). The whole `sha256=<hex>` string is compared, as
 * @octokit/webhooks-methods does. The legacy SHA-1 header is not accepted.
 */
export const githubVerifier: Verifier = {
  type: 'github',
  verify(req, config) {
    const signature = header(req, 'x-hub-signature-256');
    if (!signature) return fail('missing x-hub-signature-256 header');
    if (!signature.startsWith('sha256=')) return fail('invalid x-hub-signature-256 header');
    const secrets = usableSecrets(config);
    if (secrets.length === 0) return fail('no secrets configured');
    const matched = secrets.some((secret) =>
      digestEqual(signature, `sha256=${hmac('sha256', Buffer.from(secret, 'utf8'), [req.rawBody]).toString('hex')}`),
    );
    if (!matched) return fail('no matching signature');

    const event = header(req, 'x-github-event') ?? null;
    const action = stringField(parseBody(req), 'action');
    return {
      ok: true,
      providerEventId: header(req, 'x-github-delivery') ?? null,
      eventType: event && action ? `${event}.${action}` : event,
    };
  },
};
