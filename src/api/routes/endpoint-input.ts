import { HookwayError, invalid } from '../../core/errors.js';
import { compileFilter, FilterCompileError } from '../../core/filter.js';
import { normalizeFormat } from '../../core/formats.js';
import { FILTER_TYPE } from '../../core/matching.js';
import { generateSecret, isValidSecret } from '../../core/signing.js';
import type { Endpoint, EndpointFormat } from '../../core/types.js';
import { checkUrl } from '../../delivery/guard/check-url.js';
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
  headers?: Record<string, string> | null;
  timeoutMs?: number | null;
  retrySchedule?: number[] | null;
  format?: EndpointFormat | string;
  transformation?: string | null;
  filter?: string | null;
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

export function checkEndpointUrl(url: string, opts: { allowedTargets: string[]; httpsOnly: boolean }): string {
  const verdict = checkUrl(url, opts);
  if (!verdict.ok) throw invalid(`url: ${verdict.reason}`);
  return verdict.url.toString();
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

export function resolveSecret(secret: string | null | undefined): string {
  if (secret === undefined || secret === null) return generateSecret();
  if (!isValidSecret(secret)) throw invalid('secret must be whsec_ followed by base64 of 24 to 64 bytes.');
  return secret;
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
  const url = body.url !== undefined ? checkEndpointUrl(body.url, opts) : current.url;
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
  };
  if (body.headers) next.headers = Object.fromEntries(Object.entries(body.headers));
  if (body.secret) next.secrets = [{ key: resolveSecret(body.secret), expiresAt: null }];
  return next;
}
