import {
  connectionIdentity,
  hasMaskedCredential,
  isBrokerUrl,
  joinCredential,
  splitCredential,
} from '../../core/destination-url.js';
import { HookwayError, invalid } from '../../core/errors.js';
import { compileFilter, FilterCompileError } from '../../core/filter.js';
import { normalizeFormat } from '../../core/formats.js';
import { FILTER_TYPE } from '../../core/matching.js';
import {
  generateSecret,
  generateSigningKey,
  isValidSecret,
  isValidSigningKey,
  SIGNING_KEY_PREFIX,
  type SigningScheme,
  schemeOf,
} from '../../core/signing.js';
import type { Endpoint, EndpointFormat } from '../../core/types.js';
import { checkDestinationUrl } from '../../delivery/destinations/check-url.js';
import { isReservedHeader } from '../../delivery/request.js';

/** Endpoint bodies as they arrive (Svix fields plus Hookway extensions). */
export interface EndpointBody {
  url?: string;
  description?: string;
  version?: number | null;
  uid?: string | null;
  filterTypes?: string[] | null;
  channels?: string[] | null;
  disabled?: boolean;
  rateLimit?: number | null;
  throttleRate?: number | null;
  metadata?: Record<string, string>;
  secret?: string | null;
  /** Hookway extension: `ed25519` generates a `whsk_` signing key (Standard Webhooks `v1a`). */
  signing?: SigningScheme;
  headers?: Record<string, string> | null;
  timeoutMs?: number | null;
  retrySchedule?: number[] | null;
  format?: EndpointFormat | string;
  transformation?: string | null;
  filter?: string | null;
  fifo?: boolean;
}

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,256}$/;

/** Custom headers: valid names, no CR/LF smuggling, and never a header the transport or signature owns. */
export function checkHeaders(headers: Record<string, string | null>): void {
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) throw invalid(`Header name "${name.slice(0, 64)}" is not a valid HTTP token.`);
    if (isReservedHeader(name)) throw invalid(`Header "${name}" is reserved and cannot be set.`);
    if (value !== null && /[\r\n\0]/.test(value)) throw invalid(`Header "${name}" contains a forbidden character.`);
  }
}

/**
 * Checks an endpoint URL (HTTP or broker) and answers it normalized. A broker
 * URL read from the API shows its credential as `****`; sent back unchanged
 * (a Svix-style PUT of what was read), the stored credential of `current` is
 * kept, but only while scheme, user and host stay the same, so pointing an
 * endpoint elsewhere never takes the old secret along.
 */
export function checkEndpointUrl(
  url: string,
  opts: { allowedTargets: string[]; httpsOnly: boolean },
  current?: string,
): string {
  let full = url;
  if (isBrokerUrl(url) && hasMaskedCredential(url)) {
    const stored = current === undefined ? null : splitCredential(current).secret;
    if (stored === null || current === undefined || connectionIdentity(current) !== connectionIdentity(url)) {
      throw invalid('url: the credential is masked (****); send the real one when creating or changing the host.');
    }
    full = joinCredential(url, stored);
  }
  const verdict = checkDestinationUrl(full, opts);
  if (verdict.ok) return verdict.url.toString();
  if (verdict.setting === 'HOOKWAY_ALLOWED_TARGETS') {
    throw new HookwayError(
      'blocked_target',
      // The refusal names the way out: a development server may allow the range; a laptop can use `hookway listen`.
      `url: ${verdict.reason}; the address guard refuses it unless HOOKWAY_ALLOWED_TARGETS lists its range (HOOKWAY_ALLOWED_TARGETS=${verdict.range ?? ''} on a development server only). To receive on your own machine, use \`hookway listen --forward-to\` instead.`,
    );
  }
  if (verdict.setting === 'HOOKWAY_HTTPS_ONLY') {
    throw new HookwayError('blocked_target', `url: ${verdict.reason} while HOOKWAY_HTTPS_ONLY is on.`);
  }
  throw invalid(`url: ${verdict.reason}`);
}

/** Broker destinations carry the Standard Webhooks signature; chat and legacy formats are HTTP only. */
export function checkDestinationFormat(url: string, format: EndpointFormat | string | undefined): void {
  if (format !== undefined && format !== 'standard' && isBrokerUrl(url)) {
    throw invalid(`format: a broker endpoint uses the standard format, not "${format}".`);
  }
}

export function checkFilterTypes(filterTypes: string[] | null | undefined): void {
  for (const f of filterTypes ?? []) {
    if (!FILTER_TYPE.test(f))
      throw invalid(`filterTypes: "${f.slice(0, 64)}" is not an event type name or a prefix.* pattern.`);
  }
}

/**
 * A filter must compile before it is stored; the 422 names the problem and
 * where it is. An empty string clears the filter. Answers what to store.
 */
export function checkFilter(filter: string | null | undefined): string | null | undefined {
  if (filter === undefined || filter === null) return filter;
  if (filter.trim() === '') return null;
  try {
    compileFilter(filter);
  } catch (err) {
    if (!(err instanceof FilterCompileError)) throw err;
    const where = err.position === null ? '' : ` (at offset ${err.position})`;
    throw new HookwayError('invalid_filter', `filter: ${err.message}${where}`);
  }
  return filter;
}

/**
 * The key given (a `whsec_` secret or a `whsk_` ed25519 signing key), checked,
 * or a new one of `scheme` when none is given.
 */
export function resolveSecret(secret: string | null | undefined, scheme: SigningScheme = 'hmac'): string {
  if (secret === undefined || secret === null) return scheme === 'ed25519' ? generateSigningKey() : generateSecret();
  if (secret.startsWith(SIGNING_KEY_PREFIX)) {
    if (!isValidSigningKey(secret)) {
      throw invalid('secret: a whsk_ signing key is base64 of a 32-byte ed25519 seed (or a 64-byte libsodium key).');
    }
  } else if (!isValidSecret(secret)) {
    throw invalid('secret must be whsec_ followed by base64 of 24 to 64 bytes, or a whsk_ ed25519 signing key.');
  }
  if (schemeOf(secret) !== scheme) throw invalid(`secret is not a key for signing "${scheme}".`);
  return secret;
}

/** The scheme a write asks for: `signing` when given, else the kind of the key given, else `fallback`. */
export function requestedScheme(
  body: { signing?: SigningScheme | undefined; secret?: string | null | undefined; key?: string | null | undefined },
  fallback: SigningScheme,
): SigningScheme {
  const given = body.secret ?? body.key;
  return body.signing ?? (given ? schemeOf(given) : fallback);
}

/** Applies a body onto an endpoint: every field for PUT, only the given ones for PATCH. */
export function applyEndpointBody(
  current: Endpoint,
  body: EndpointBody,
  partial: boolean,
  opts: { allowedTargets: string[]; httpsOnly: boolean },
): Omit<Endpoint, 'createdAt' | 'updatedAt'> {
  checkFilterTypes(body.filterTypes);
  if (body.headers) checkHeaders(body.headers);
  const filter = checkFilter(body.filter);
  const pick = <K extends keyof EndpointBody>(k: K, fallback: EndpointBody[K]): EndpointBody[K] =>
    body[k] !== undefined ? body[k] : partial ? fallback : undefined;
  const url = body.url !== undefined ? checkEndpointUrl(body.url, opts, current.url) : current.url;
  const next = {
    ...current,
    url,
    description: pick('description', current.description) ?? '',
    version: pick('version', current.version) ?? current.version,
    uid: pick('uid', current.uid) ?? null,
    filterTypes: pick('filterTypes', current.filterTypes) ?? null,
    channels: pick('channels', current.channels) ?? null,
    disabled: pick('disabled', current.disabled) ?? false,
    rateLimit: pick('rateLimit', current.rateLimit) ?? body.throttleRate ?? null,
    metadata: pick('metadata', current.metadata) ?? {},
    timeoutMs: pick('timeoutMs', current.timeoutMs) ?? null,
    retrySchedule: pick('retrySchedule', current.retrySchedule) ?? null,
    format: normalizeFormat(pick('format', current.format)),
    transformation: pick('transformation', current.transformation) ?? null,
    filter: filter !== undefined ? filter : partial ? current.filter : null,
    fifo: pick('fifo', current.fifo) ?? false,
  };
  checkDestinationFormat(next.url, next.format);
  if (body.headers) next.headers = Object.fromEntries(Object.entries(body.headers));
  // A new key, or a change of scheme, replaces the key at once; secret/rotate keeps the old one signing for a while.
  const scheme = requestedScheme(body, schemeOf(current.secrets[0]?.key));
  if (body.secret || scheme !== schemeOf(current.secrets[0]?.key)) {
    next.secrets = [{ key: resolveSecret(body.secret, scheme), expiresAt: null }];
  }
  return next;
}
