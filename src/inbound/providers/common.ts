import { createHmac } from 'node:crypto';
import { bodyJson, bodyText } from '../body.js';
import type { InboundRequest, SourceConfig, VerifyResult } from '../verify-types.js';

/** Small helpers shared by the provider verifiers. Pure, never throw. */

export const DEFAULT_TOLERANCE_SECONDS = 300;

export function fail(reason: string): VerifyResult {
  return { ok: false, reason };
}

/** A header value, or undefined when absent or blank (blank is as good as missing). */
export function header(req: InboundRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/**
 * The configured secrets that can be used. Empty strings are dropped: an HMAC
 * with an empty key is computable by anyone, so it must never verify.
 */
export function usableSecrets(config: SourceConfig): string[] {
  return Array.isArray(config.secrets) ? config.secrets.filter((s) => typeof s === 'string' && s.length > 0) : [];
}

export function tolerance(config: SourceConfig): number {
  const t = config.toleranceSeconds;
  return typeof t === 'number' && Number.isFinite(t) && t >= 0 ? t : DEFAULT_TOLERANCE_SECONDS;
}

/** Unix seconds from a header: digits only, at most 15 of them (no floats, signs or exponents). */
export function parseUnixSeconds(value: string): number | null {
  return /^\d{1,15}$/.test(value) ? Number(value) : null;
}

/** `null` when `ts` is inside the window; otherwise the reason. `future: false` checks the past only. */
export function timestampProblem(
  ts: number,
  nowSeconds: number,
  toleranceSeconds: number,
  future = true,
): string | null {
  if (nowSeconds - ts > toleranceSeconds) return 'timestamp too old';
  if (future && ts - nowSeconds > toleranceSeconds) return 'timestamp too new';
  return null;
}

export function hmac(
  algorithm: 'sha256' | 'sha512',
  key: string | Buffer,
  parts: readonly (string | Buffer)[],
): Buffer {
  const mac = createHmac(algorithm, key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/**
 * The request body as an object, for id and type extraction only (never for
 * verification). JSON bodies are parsed once per request (body.ts); form-encoded bodies (GitHub
 * form deliveries, Slack interactivity) yield their `payload` field parsed as
 * JSON, or else the form fields themselves (Slack slash commands).
 * Anything unparseable gives null: that is not an error.
 */
export function parseBody(req: InboundRequest): Record<string, unknown> | null {
  const contentType = header(req, 'content-type') ?? '';
  if (contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    const params = new URLSearchParams(bodyText(req));
    const payload = params.get('payload');
    if (payload !== null) return parseJsonObject(payload);
    return Object.fromEntries(params);
  }
  const parsed = bodyJson(req);
  return parsed && isObject(parsed.json) ? parsed.json : null;
}

function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string field of a parsed body, or null. */
export function stringField(obj: Record<string, unknown> | null | undefined, key: string): string | null {
  const value = obj?.[key];
  return typeof value === 'string' && value !== '' ? value : null;
}

/** `providerEventId` from the configured id header (hmac, api-key, basic-auth, generic). */
export function idFromHeader(req: InboundRequest, config: SourceConfig): string | null {
  return config.idHeader ? (header(req, config.idHeader) ?? null) : null;
}
