import type { Verifier } from '../verify-types.js';
import { verifyStandardWebhook } from './standard.js';

/** Standard Webhooks v1 (symmetric): `webhook-id`, `webhook-timestamp`, `webhook-signature`. */
export const standardWebhooksVerifier: Verifier = {
  type: 'standard-webhooks',
  verify: (req, config, nowSeconds) => verifyStandardWebhook(req, config, nowSeconds),
};
