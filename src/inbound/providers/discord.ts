import { createPublicKey, verify as edVerify, type KeyObject } from 'node:crypto';
import type { InboundRequest, SourceConfig, Verifier, VerifyResult } from '../verify-types.js';
import {
  fail,
  header,
  isObject,
  parseBody,
  parseUnixSeconds,
  stringField,
  timestampProblem,
  usableSecrets,
} from './common.js';

/**
 * Discord interactions and webhook events: Ed25519 over UTF-8(timestamp) +
 * raw body, signature hex in `X-Signature-Ed25519`, key = the application's
 * public key (hex, 32 bytes). `secrets` holds public keys, so nothing secret
 * is compared here: `crypto.verify` does the whole check.
 *
 * Discord documents no replay window, so the timestamp is only checked when
 * the source sets `toleranceSeconds` explicitly.
 *
 * Discord probes endpoints with deliberately bad signatures; those must fail
 * (the caller answers 401) or Discord removes the endpoint URL.
 */
const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const HEX_SIGNATURE = /^[0-9a-fA-F]{128}$/;

export function ed25519PublicKey(hex: string): KeyObject | null {
  if (!HEX_KEY.test(hex)) return null;
  try {
    const x = Buffer.from(hex, 'hex').toString('base64url');
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
  } catch {
    return null;
  }
}

function verify(req: InboundRequest, config: SourceConfig, nowSeconds: number): VerifyResult {
  const signature = header(req, 'x-signature-ed25519');
  if (!signature) return fail('missing x-signature-ed25519 header');
  const timestamp = header(req, 'x-signature-timestamp');
  if (!timestamp) return fail('missing x-signature-timestamp header');
  if (!HEX_SIGNATURE.test(signature)) return fail('invalid x-signature-ed25519 header');
  const keys = usableSecrets(config)
    .map(ed25519PublicKey)
    .filter((k): k is KeyObject => k !== null);
  if (keys.length === 0) return fail('no valid public key configured');
  if (typeof config.toleranceSeconds === 'number') {
    const ts = parseUnixSeconds(timestamp);
    if (ts === null) return fail('invalid x-signature-timestamp header');
    const problem = timestampProblem(ts, nowSeconds, config.toleranceSeconds);
    if (problem) return fail(problem);
  }

  const message = Buffer.concat([Buffer.from(timestamp, 'utf8'), req.rawBody]);
  const sig = Buffer.from(signature, 'hex');
  const matched = keys.some((key) => {
    try {
      return edVerify(null, message, key, sig);
    } catch {
      return false;
    }
  });
  if (!matched) return fail('no matching signature');
  return resultOf(parseBody(req));
}

/**
 * Interactions carry an `id` and a `token`; PING is type 1 and wants PONG.
 * Webhook events (`{version, application_id, type: 0|1, event?}`) have neither;
 * PING is type 0 and wants an empty 204.
 */
function resultOf(body: Record<string, unknown> | null): VerifyResult {
  if (!body) return { ok: true, providerEventId: null, eventType: null };
  const type = body['type'];
  const id = stringField(body, 'id');
  const isWebhookEvent = !('token' in body) && (type === 0 || isObject(body['event']));
  if (isWebhookEvent) {
    if (type === 0) return { ok: true, providerEventId: id, eventType: null, reply: { status: 204 } };
    const event = isObject(body['event']) ? body['event'] : null;
    return { ok: true, providerEventId: id, eventType: stringField(event, 'type') };
  }
  const eventType = typeof type === 'number' || typeof type === 'string' ? `interaction.${type}` : null;
  if (type === 1) return { ok: true, providerEventId: id, eventType, reply: { status: 200, body: { type: 1 } } };
  return { ok: true, providerEventId: id, eventType };
}

export const discordVerifier: Verifier = { type: 'discord', verify };
