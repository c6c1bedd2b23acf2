import type { SourceType, Verifier, VerifyResult } from '../verify-types.js';
import { apiKeyVerifier } from './api-key.js';
import { basicAuthVerifier } from './basic-auth.js';
import { discordVerifier } from './discord.js';
import { genericWebhookVerifier } from './generic-webhook.js';
import { githubVerifier } from './github.js';
import { hmacVerifier } from './hmac.js';
import { openaiVerifier } from './openai.js';
import { shopifyVerifier } from './shopify.js';
import { slackVerifier } from './slack.js';
import { standardWebhooksVerifier } from './standard-webhooks.js';
import { stripeVerifier } from './stripe.js';
import { svixVerifier } from './svix.js';

/**
 * Every verifier is written not to throw; this guard is the backstop so a bug
 * on a hostile input becomes a rejected request, never a crashed handler.
 */
function guarded(verifier: Verifier): Verifier {
  return {
    type: verifier.type,
    verify(req, config, nowSeconds): VerifyResult {
      try {
        return verifier.verify(req, config, nowSeconds);
      } catch {
        return { ok: false, reason: 'verifier error' };
      }
    },
  };
}

export const verifiers: Record<SourceType, Verifier> = {
  svix: guarded(svixVerifier),
  'standard-webhooks': guarded(standardWebhooksVerifier),
  openai: guarded(openaiVerifier),
  stripe: guarded(stripeVerifier),
  github: guarded(githubVerifier),
  shopify: guarded(shopifyVerifier),
  slack: guarded(slackVerifier),
  discord: guarded(discordVerifier),
  hmac: guarded(hmacVerifier),
  'basic-auth': guarded(basicAuthVerifier),
  'api-key': guarded(apiKeyVerifier),
  'generic-webhook': guarded(genericWebhookVerifier),
};

export const SOURCE_TYPES = Object.keys(verifiers) as SourceType[];

export function isSourceType(value: string): value is SourceType {
  return Object.hasOwn(verifiers, value);
}

export function getVerifier(type: SourceType): Verifier;
export function getVerifier(type: string): Verifier | undefined;
export function getVerifier(type: string): Verifier | undefined {
  return isSourceType(type) ? verifiers[type] : undefined;
}
