import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { buildConnector } from 'undici';
import { findBlockedRange } from './blocked-ranges.js';
import type { Cidr } from './cidr.js';
import { normalizeHost } from './normalize.js';

/**
 * The connect-time half of the SSRF guard. Endpoint creation (check-url.ts)
 * only sees the URL; DNS can answer differently at send time, so every
 * address is checked again here, in the lookup the socket itself uses: the
 * socket connects to exactly the addresses that were checked, with no second
 * lookup in between (which is what closes DNS rebinding).
 */

export const BLOCKED_ADDRESS = 'HOOKWAY_ERR_BLOCKED_ADDRESS';

/** Raised from the connector; the sender maps it to errorKind `blocked`. */
export class BlockedAddressError extends Error {
  readonly code = BLOCKED_ADDRESS;
  constructor(
    readonly address: string,
    readonly range: string,
    label: string,
  ) {
    super(`address ${address} is ${label} (${range}); HOOKWAY_ALLOWED_TARGETS can allow it`);
    this.name = 'BlockedAddressError';
  }
}

export function blockedError(address: string, allow: readonly Cidr[]): BlockedAddressError | null {
  const hit = findBlockedRange(address, allow);
  return hit ? new BlockedAddressError(address, hit.cidr.text, hit.label) : null;
}

const defaultLookup = dnsLookup as unknown as LookupFunction;

/**
 * Resolves every address of a name (whatever the caller asked for), refuses
 * the lot if any one of them is blocked, and answers in the shape the caller
 * asked for (one address, or all of them for happy eyeballs). Refusing on any
 * blocked address, rather than picking a good one, keeps a name that points
 * at both a public and a private host from ever reaching the private one.
 */
export function guardedLookup(allow: readonly Cidr[], base: LookupFunction = defaultLookup): LookupFunction {
  return (hostname, options, callback) => {
    base(hostname, { ...options, all: true }, (err, result, family) => {
      if (err) return callback(err, '');
      const addresses: LookupAddress[] = Array.isArray(result) ? result : [{ address: result, family: family ?? 0 }];
      if (addresses.length === 0) {
        return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '');
      }
      for (const a of addresses) {
        const blocked = blockedError(a.address, allow);
        if (blocked) return callback(blocked, '');
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}

/** Resolves and checks a host without connecting (used before handing a request to an egress proxy). */
export function checkHost(hostname: string, allow: readonly Cidr[], lookup?: LookupFunction): Promise<void> {
  const host = normalizeHost(hostname);
  if (!host) return Promise.reject(new BlockedAddressError(hostname, 'not an IP address', 'invalid'));
  if (host.kind === 'ip') {
    const blocked = blockedError(host.address, allow);
    return blocked ? Promise.reject(blocked) : Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    guardedLookup(allow, lookup)(host.name, { all: true }, (err) => (err ? reject(err) : resolve()));
  });
}

export interface GuardedConnectorOptions {
  allow: readonly Cidr[];
  lookup?: LookupFunction | undefined;
  connectTimeoutMs?: number;
}

/**
 * An undici connector that refuses blocked addresses. Names go through the
 * guarded lookup; IP literals need their own check because net.connect skips
 * the lookup for them.
 */
export function guardedConnector(opts: GuardedConnectorOptions): buildConnector.connector {
  const base = buildConnector({
    lookup: guardedLookup(opts.allow, opts.lookup),
    timeout: opts.connectTimeoutMs ?? 10_000,
  });
  return (options, callback) => {
    const host = normalizeHost(options.hostname);
    if (host?.kind === 'ip') {
      const blocked = blockedError(host.address, opts.allow);
      if (blocked) {
        queueMicrotask(() => callback(blocked, null));
        return;
      }
    }
    base(options, callback);
  };
}
