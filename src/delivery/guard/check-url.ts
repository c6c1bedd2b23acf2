import { compileAllowlist, findBlockedRange } from './blocked-ranges.js';
import { isLocalhostName, normalizeHost } from './normalize.js';

export interface UrlPolicy {
  allowedTargets: string[];
  httpsOnly?: boolean;
}

/**
 * A refusal; `setting` names the configuration that would allow it when the
 * URL is well formed but its target is refused by policy (the address guard
 * or https-only), so callers can answer `blocked_target` rather than a shape error;
 * `range` is the blocked CIDR the address falls in.
 */
export type UrlCheck =
  | { ok: true; url: URL }
  | { ok: false; reason: string; setting?: 'HOOKWAY_ALLOWED_TARGETS' | 'HOOKWAY_HTTPS_ONLY'; range?: string };

/**
 * The checks on a URL's shape, shared by endpoint creation and by the sender:
 * parseable, http(s), no credentials, a host, https when required.
 */
export function checkUrlShape(url: string, httpsOnly = false): UrlCheck {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: 'URL is not valid' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { ok: false, reason: `scheme ${parsed.protocol} is not allowed (use http or https)` };
  }
  if (httpsOnly && parsed.protocol !== 'https:') {
    return { ok: false, reason: 'only https:// URLs are allowed', setting: 'HOOKWAY_HTTPS_ONLY' };
  }
  if (parsed.username !== '' || parsed.password !== '') {
    return { ok: false, reason: 'credentials in the URL are not allowed' };
  }
  if (parsed.hostname === '') return { ok: false, reason: 'URL has no host' };
  return { ok: true, url: parsed };
}

/**
 * Endpoint-creation check: rejects obviously bad URLs early with a reason fit
 * for a 422. Names are not resolved here (DNS can change); the sender checks
 * every resolved address again at connect time.
 */
export function checkUrl(url: string, opts: UrlPolicy): UrlCheck {
  const shape = checkUrlShape(url, opts.httpsOnly);
  if (!shape.ok) return shape;
  return checkUrlHost(shape.url, opts.allowedTargets);
}

/** The host half of the creation check, for any scheme: an IP literal or localhost must be allowed. */
export function checkUrlHost(url: URL, allowedTargets: string[]): UrlCheck {
  const host = normalizeHost(url.hostname);
  if (!host) return { ok: false, reason: 'URL has no valid host' };
  const address = host.kind === 'ip' ? host.address : isLocalhostName(host.name) ? '127.0.0.1' : null;
  if (address !== null) {
    const hit = findBlockedRange(address, compileAllowlist(allowedTargets));
    const what = host.kind === 'ip' ? `address ${address}` : `host ${host.name}`;
    if (hit) {
      return {
        ok: false,
        reason: `${what} is ${hit.label} (${hit.cidr.text})`,
        setting: 'HOOKWAY_ALLOWED_TARGETS',
        range: hit.cidr.text,
      };
    }
  }
  return { ok: true, url };
}

/** Whether `ip` is refused; allowlisted CIDRs win over the blocked ranges. */
export function isBlockedAddress(
  ip: string,
  allowedTargets: string[],
): { blocked: false } | { blocked: true; range: string } {
  const host = normalizeHost(ip);
  const address = host?.kind === 'ip' ? host.address : ip;
  const hit = findBlockedRange(address, compileAllowlist(allowedTargets));
  return hit ? { blocked: true, range: hit.cidr.text } : { blocked: false };
}
