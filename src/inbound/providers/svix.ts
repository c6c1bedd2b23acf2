import type { Verifier } from '../verify-types.js';
import { verifyStandardWebhook } from './standard.js';

/** Svix-signed providers (Clerk, Resend, ...): `svix-*` (or white-labelled `webhook-*`) headers. */
export const svixVerifier: Verifier = {
  type: 'svix',
  verify: (req, config, nowSeconds) => verifyStandardWebhook(req, config, nowSeconds),
};
