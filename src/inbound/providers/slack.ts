import { digestEqual } from '../../core/crypto.js';
import type { Verifier, VerifyResult } from '../verify-types.js';
import {
  fail,
  header,
  hmac,
  isObject,
  parseBody,
  parseUnixSeconds,
  stringField,
  timestampProblem,
  tolerance,
  usableSecrets,
} from './common.js';

/**
 * Slack request signing (Events API, slash commands, interactivity):
 * `X-Slack-Signature: v0=<hex HMAC-SHA256(signing secret, `v0:${ts}:${body}`)>`.
 * Verified over the raw bytes whatever the content type (slash commands are
 * form-encoded). The timestamp window is checked in both directions, as
 * python slack_sdk does. A `url_verification` request is answered with its
 * challenge, but only after the signature checks out.
 */
export const slackVerifier: Verifier = {
  type: 'slack',
  verify(req, config, nowSeconds): VerifyResult {
    const signature = header(req, 'x-slack-signature');
    if (!signature) return fail('missing x-slack-signature header');
    const rawTs = header(req, 'x-slack-request-timestamp');
    if (!rawTs) return fail('missing x-slack-request-timestamp header');
    const ts = parseUnixSeconds(rawTs);
    if (ts === null) return fail('invalid x-slack-request-timestamp header');
    if (!signature.startsWith('v0=')) return fail('invalid x-slack-signature header');
    const secrets = usableSecrets(config);
    if (secrets.length === 0) return fail('no secrets configured');
    const problem = timestampProblem(ts, nowSeconds, tolerance(config));
    if (problem) return fail(problem);

    const matched = secrets.some((secret) =>
      digestEqual(
        signature,
        `v0=${hmac('sha256', Buffer.from(secret, 'utf8'), [`v0:${rawTs}:`, req.rawBody]).toString('hex')}`,
      ),
    );
    if (!matched) return fail('no matching signature');

    const body = parseBody(req);
    const type = stringField(body, 'type');
    const event = isObject(body?.['event']) ? body['event'] : null;
    const eventType = stringField(event, 'type') ?? type;
    if (type === 'url_verification') {
      return {
        ok: true,
        providerEventId: null,
        eventType,
        reply: { status: 200, body: { challenge: stringField(body, 'challenge') ?? '' } },
      };
    }
    return { ok: true, providerEventId: stringField(body, 'event_id'), eventType };
  },
};
