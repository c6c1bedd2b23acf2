import { SECRET_PREFIX, verifySignature } from '../../core/signing.js';
import type { InboundRequest, SourceConfig, VerifyResult } from '../verify-types.js';
import { fail, header, parseBody, stringField, tolerance, usableSecrets } from './common.js';

/**
 * Standard Webhooks verification, shared by svix, standard-webhooks and openai.
 * Headers are `svix-*` or `webhook-*`; like the svix library, each `svix-*`
 * header wins over its `webhook-*` twin. The comparison itself is the core
 * `verifySignature` (constant-time, every secret, every `v1,` entry).
 */
export function verifyStandardWebhook(
  req: InboundRequest,
  config: SourceConfig,
  nowSeconds: number,
  options: { rawUtf8Secrets?: boolean } = {},
): VerifyResult {
  const prefix =
    (header(req, 'svix-id') ?? header(req, 'svix-timestamp') ?? header(req, 'svix-signature')) ? 'svix' : 'webhook';
  const msgId = header(req, 'svix-id') ?? header(req, 'webhook-id');
  const timestamp = header(req, 'svix-timestamp') ?? header(req, 'webhook-timestamp');
  const signature = header(req, 'svix-signature') ?? header(req, 'webhook-signature');
  if (!signature) return fail(`missing ${prefix}-signature header`);
  if (!msgId) return fail(`missing ${prefix}-id header`);
  if (!timestamp) return fail(`missing ${prefix}-timestamp header`);

  let secrets = usableSecrets(config);
  if (secrets.length === 0) return fail('no secrets configured');
  if (options.rawUtf8Secrets) {
    // openai-node: a secret without `whsec_` is the raw UTF-8 key. Re-express it
    // as a `whsec_` secret so the shared helper derives exactly those bytes.
    secrets = secrets.map((s) =>
      s.startsWith(SECRET_PREFIX) ? s : SECRET_PREFIX + Buffer.from(s, 'utf8').toString('base64'),
    );
  }

  const result = verifySignature(secrets, msgId, timestamp, signature, req.rawBody, {
    toleranceSeconds: tolerance(config),
    nowSeconds,
  });
  if (!result.ok) {
    switch (result.reason) {
      case 'invalid_timestamp':
        return fail(`invalid ${prefix}-timestamp header`);
      case 'timestamp_too_old':
        return fail('timestamp too old');
      case 'timestamp_too_new':
        return fail('timestamp too new');
      case 'missing_headers':
        return fail(`missing ${prefix} headers`);
      default:
        return fail('no matching signature');
    }
  }
  return { ok: true, providerEventId: msgId, eventType: stringField(parseBody(req), 'type') };
}
