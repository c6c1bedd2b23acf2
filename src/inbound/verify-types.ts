/**
 * Inbound verification: the contract every provider verifier implements.
 *
 * Words used here (see src/core/types.ts for the full glossary):
 * - Source: an inbound receiver configured for one provider (`SourceType`).
 * - Verifier: a pure function that decides whether one received request was
 *   really sent by the provider, and extracts the provider's id of the event
 *   (`providerEventId`, the dedupe key) and its `eventType`. No I/O, no clock: the caller passes `nowSeconds`.
 *
 * Verifiers never throw on hostile input; every failure is `{ ok: false, reason }`
 * with a short, precise reason that is safe to log (it never echoes a secret).
 */

export interface InboundRequest {
  /** Lower-case names; a multi-valued header is joined with ', '. */
  headers: Record<string, string>;
  /** The exact bytes received. Signatures are always checked over these. */
  rawBody: Buffer;
  /** Full URL as received (for providers that sign the URL). */
  url: string;
}

export type SourceType =
  | 'svix'
  | 'standard-webhooks'
  | 'openai'
  | 'stripe'
  | 'github'
  | 'shopify'
  | 'slack'
  | 'discord'
  | 'hmac'
  | 'basic-auth'
  | 'api-key'
  | 'generic-webhook';

export interface SourceConfig {
  /**
   * All secrets valid during rotation (current first). For discord: hex public
   * keys; basic-auth: 'user:password'; api-key: the key value.
   */
  secrets: string[];
  /** Default 300 where the provider has a timestamp (discord: opt-in, see its verifier). */
  toleranceSeconds?: number;
  // Generic hmac options.
  header?: string;
  algorithm?: 'sha256' | 'sha512';
  encoding?: 'hex' | 'base64';
  /** Literal prefix of the signature header value, e.g. 'sha256='. */
  prefix?: string;
  timestampHeader?: string;
  /** Template of the signed bytes: placeholders {timestamp} {body} {id}; default '{body}'. */
  signedContent?: string;
  /** hmac / api-key / basic-auth / generic-webhook: optional header holding the dedupe key. */
  idHeader?: string;
  /** api-key: header holding the key; default 'x-api-key'. */
  apiKeyHeader?: string;
}

export type VerifyResult =
  | {
      ok: true;
      /** The provider's id of the event (webhook-id, Stripe `evt_`, X-GitHub-Delivery...), if it sends one. */
      providerEventId: string | null;
      eventType: string | null;
      /** A protocol answer to send instead of the normal one (Discord PING, Slack url_verification). */
      reply?: { status: number; body?: unknown };
    }
  | { ok: false; reason: string };

export interface Verifier {
  type: SourceType;
  verify(req: InboundRequest, config: SourceConfig, nowSeconds: number): VerifyResult;
}
