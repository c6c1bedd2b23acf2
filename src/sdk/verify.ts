import { createPublicKey, verify as edVerify, type KeyObject } from 'node:crypto';
import { digestEqual } from '../core/crypto.js';
import { PUBLIC_KEY_PREFIX, SECRET_PREFIX, sign, signWith } from '../core/signing.js';

/**
 * Receiver-side verification of Standard Webhooks requests, as Hookway sends
 * them: `webhook-id`, `webhook-timestamp`, `webhook-signature` (or the
 * `svix-*` twins). The signature header is a space-separated list; any one
 * valid entry is enough (that is how secret rotation works).
 *
 * - `v1,<base64>`: HMAC-SHA256 with a `whsec_` secret (or raw base64 key).
 * - `v1a,<base64>`: ed25519 with a `whpk_` public key (base64 of the 32-byte key).
 *
 * Error messages are those of the `standardwebhooks` library, so code that
 * matches on them keeps working.
 */
export class WebhookVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookVerificationError';
  }
}

export { PUBLIC_KEY_PREFIX };
export const DEFAULT_TOLERANCE_SECONDS = 300;

export type HeaderBag = Headers | Record<string, string | string[] | undefined>;

export interface VerifyOptions {
  toleranceSeconds?: number;
  /** For tests: the current time in seconds. */
  nowSeconds?: number;
}

export interface VerifiedWebhook<T> {
  id: string;
  timestamp: number;
  payload: T;
}

export function headerOf(headers: HeaderBag, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const bag = headers as Record<string, string | string[] | undefined>;
  const v = bag[name] ?? Object.entries(bag).find(([k]) => k.toLowerCase() === name)?.[1];
  return Array.isArray(v) ? v.join(' ') : v;
}

/** Verifies and parses; returns the JSON payload. Throws WebhookVerificationError. */
export function verifyWebhook<T = unknown>(
  secret: string | readonly string[],
  headers: HeaderBag,
  rawBody: string | Uint8Array,
  options: VerifyOptions = {},
): T {
  return verifyWebhookDetailed<T>(secret, headers, rawBody, options).payload;
}

export function verifyWebhookDetailed<T = unknown>(
  secret: string | readonly string[],
  headers: HeaderBag,
  rawBody: string | Uint8Array,
  options: VerifyOptions = {},
): VerifiedWebhook<T> {
  const id = headerOf(headers, 'svix-id') ?? headerOf(headers, 'webhook-id');
  const timestamp = headerOf(headers, 'svix-timestamp') ?? headerOf(headers, 'webhook-timestamp');
  const signatures = headerOf(headers, 'svix-signature') ?? headerOf(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) throw new WebhookVerificationError('Missing required headers');
  if (!/^\d+$/.test(timestamp)) throw new WebhookVerificationError('Invalid Signature Headers');
  const ts = Number(timestamp);
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (now - ts > tolerance) throw new WebhookVerificationError('Message timestamp too old');
  if (ts - now > tolerance) throw new WebhookVerificationError('Message timestamp too new');

  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : Buffer.from(rawBody);
  const entries = signatures
    .split(' ')
    .map((s) => s.replace(/,$/, ''))
    .filter(Boolean);
  const secrets = typeof secret === 'string' ? [secret] : secret;
  if (secrets.length === 0) throw new WebhookVerificationError('No secret given');
  const matched = secrets.some((s) =>
    s.startsWith(PUBLIC_KEY_PREFIX) ? matchesEd25519(s, id, ts, body, entries) : matchesHmac(s, id, ts, body, entries),
  );
  if (!matched) throw new WebhookVerificationError('No matching signature found');
  let payload: T;
  try {
    payload = JSON.parse(body.toString('utf8')) as T;
  } catch {
    throw new WebhookVerificationError('The payload is not valid JSON');
  }
  return { id, timestamp: ts, payload };
}

function matchesHmac(secret: string, id: string, ts: number, body: Buffer, entries: string[]): boolean {
  const key = secret.startsWith(SECRET_PREFIX) ? secret : `${SECRET_PREFIX}${secret}`;
  const expected = sign(key, id, ts, body).slice(3);
  return entries.some((e) => e.startsWith('v1,') && digestEqual(e.slice(3), expected));
}

function matchesEd25519(publicKey: string, id: string, ts: number, body: Buffer, entries: string[]): boolean {
  let key: KeyObject;
  try {
    key = ed25519PublicKey(publicKey);
  } catch {
    throw new WebhookVerificationError('Invalid whpk_ public key');
  }
  const content = Buffer.concat([Buffer.from(`${id}.${ts}.`), body]);
  return entries.some((e) => {
    if (!e.startsWith('v1a,')) return false;
    const sig = Buffer.from(e.slice(4), 'base64');
    return sig.length === 64 && edVerify(null, content, key, sig);
  });
}

/** `whpk_` + base64 of the raw 32-byte ed25519 public key. */
export function ed25519PublicKey(publicKey: string): KeyObject {
  const raw = Buffer.from(publicKey.slice(PUBLIC_KEY_PREFIX.length), 'base64');
  if (raw.length !== 32) throw new Error('an ed25519 public key is 32 bytes');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
}

/** Signs like Hookway does (`v1` HMAC with a `whsec_` secret, `v1a` ed25519 with a `whsk_` key): headers for a request carrying `body`. */
export function signWebhook(
  secret: string,
  id: string,
  body: string | Uint8Array,
  timestampSeconds = Math.floor(Date.now() / 1000),
): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': signWith(secret, id, timestampSeconds, Buffer.from(body)),
  };
}
