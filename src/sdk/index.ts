/**
 * `hookway/sdk`: what applications import. A typed API client, and the
 * helpers a webhook receiver needs to verify what Hookway sends.
 */

export type { AdapterOptions, NodeWebhookHandler } from './adapters.js';
export { expressWebhook, fastifyWebhook, nextWebhook, nodeWebhook, readRawBody } from './adapters.js';
export { Hookway, type HookwayOptions, paginate, ROUTES, routeKey } from './client.js';
export { HookwayApiError, type Query, type RequestOptions } from './http.js';
export type * from './types.js';
export {
  ed25519PublicKey,
  type HeaderBag,
  signWebhook,
  type VerifiedWebhook,
  type VerifyOptions,
  verifyWebhook,
  verifyWebhookDetailed,
  WebhookVerificationError,
} from './verify.js';
