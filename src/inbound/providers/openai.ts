import type { Verifier } from '../verify-types.js';
import { verifyStandardWebhook } from './standard.js';

/**
 * OpenAI webhooks are Standard Webhooks. One quirk, copied from openai-node:
 * a secret without the `whsec_` prefix is the raw UTF-8 key, not base64.
 * `providerEventId` is the `webhook-id` header (`wh_…`), stable across retries, not
 * the envelope `id` (`evt_…`).
 */
export const openaiVerifier: Verifier = {
  type: 'openai',
  verify: (req, config, nowSeconds) => verifyStandardWebhook(req, config, nowSeconds, { rawUtf8Secrets: true }),
};
