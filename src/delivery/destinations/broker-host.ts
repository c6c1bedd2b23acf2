import type { LookupFunction } from 'node:net';
import type { Cidr } from '../guard/cidr.js';
import { BlockedAddressError, blockedError, guardedLookup } from '../guard/connector.js';
import { normalizeHost } from '../guard/normalize.js';

/**
 * The address guard for broker connections. Broker clients connect by
 * themselves, so the host is resolved and checked here, on every connect and
 * reconnect, and the client is handed the checked address itself: no second
 * lookup in between that DNS could answer differently.
 */
export interface BrokerAddress {
  /** The checked IP address the client connects to. */
  address: string;
  /** The host as written in the URL, for TLS server name checks. */
  name: string | null;
}

export function resolveBrokerHost(
  hostname: string,
  allow: readonly Cidr[],
  lookup?: LookupFunction,
): Promise<BrokerAddress> {
  const host = normalizeHost(hostname);
  if (!host) return Promise.reject(new BlockedAddressError(hostname, 'not an IP address', 'invalid'));
  if (host.kind === 'ip') {
    const blocked = blockedError(host.address, allow);
    return blocked ? Promise.reject(blocked) : Promise.resolve({ address: host.address, name: null });
  }
  return new Promise((resolve, reject) => {
    guardedLookup(allow, lookup)(host.name, { all: false }, (err, address) => {
      if (err) reject(err);
      else resolve({ address: address as string, name: host.name });
    });
  });
}
