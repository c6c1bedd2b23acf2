import { isIPv4, isIPv6 } from 'node:net';

/**
 * IP addresses as bytes (4 for IPv4, 16 for IPv6) and CIDR ranges over them.
 *
 * Small pure code rather than node:net's BlockList: BlockList answers only
 * yes/no (we report which range matched), it treats IPv4 rules and IPv4-mapped
 * IPv6 addresses as the same thing in both directions, and it silently answers
 * `false` for an address with a zone id (`fe80::1%eth0`), which would be a hole.
 */

export interface Cidr {
  /** The range as written in canonical form, e.g. `10.0.0.0/8`. */
  readonly text: string;
  readonly bytes: Uint8Array;
  readonly prefix: number;
}

/** Strict dotted-quad IPv4 (the form the URL parser and getaddrinfo produce). */
export function parseIpv4(s: string): Uint8Array | null {
  if (!isIPv4(s)) return null;
  return Uint8Array.from(s.split('.').map(Number));
}

/** IPv6 in any textual form (`::`, embedded dotted IPv4 tail); a zone id is ignored. */
export function parseIpv6(input: string): Uint8Array | null {
  const zone = input.indexOf('%');
  let s = zone === -1 ? input : input.slice(0, zone);
  if (!isIPv6(s)) return null;
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseIpv4(tail);
    if (!v4) return null;
    const hi = ((v4[0]! << 8) | v4[1]!).toString(16);
    const lo = ((v4[2]! << 8) | v4[3]!).toString(16);
    s = `${s.slice(0, lastColon + 1)}${hi}:${lo}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (part: string | undefined) => (part ? part.split(':') : []);
  const head = groupsOf(halves[0]);
  const rest = groupsOf(halves[1]);
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 1 ? 0 : missing).fill('0'), ...rest];
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    const n = Number.parseInt(g, 16);
    bytes[i * 2] = n >> 8;
    bytes[i * 2 + 1] = n & 0xff;
  });
  return bytes;
}

export function parseIp(s: string): Uint8Array | null {
  return parseIpv4(s) ?? parseIpv6(s);
}

/** `10.0.0.0/8`, `fc00::/7`, or a bare address (a /32 or /128). Throws on anything else. */
export function parseCidr(text: string): Cidr {
  const slash = text.indexOf('/');
  const addr = slash === -1 ? text.trim() : text.slice(0, slash).trim();
  const bytes = parseIp(addr);
  if (!bytes) throw new TypeError(`invalid CIDR "${text}": not an IP address`);
  const max = bytes.length * 8;
  const prefixText = slash === -1 ? String(max) : text.slice(slash + 1).trim();
  const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : Number.NaN;
  if (!(prefix >= 0 && prefix <= max)) throw new TypeError(`invalid CIDR "${text}": prefix must be 0..${max}`);
  const network = maskTo(bytes, prefix);
  return { text: `${formatIp(network)}/${prefix}`, bytes: network, prefix };
}

export function cidrContains(cidr: Cidr, ip: Uint8Array): boolean {
  if (ip.length !== cidr.bytes.length) return false;
  const whole = cidr.prefix >> 3;
  for (let i = 0; i < whole; i++) if (ip[i] !== cidr.bytes[i]) return false;
  const bits = cidr.prefix & 7;
  if (bits === 0) return true;
  const mask = (0xff << (8 - bits)) & 0xff;
  return ((ip[whole]! ^ cidr.bytes[whole]!) & mask) === 0;
}

/** The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`), else null. */
export function mappedIpv4(ip: Uint8Array): Uint8Array | null {
  if (ip.length !== 16) return null;
  for (let i = 0; i < 10; i++) if (ip[i] !== 0) return null;
  if (ip[10] !== 0xff || ip[11] !== 0xff) return null;
  return ip.slice(12);
}

export function formatIp(ip: Uint8Array): string {
  if (ip.length === 4) return ip.join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((ip[i]! << 8) | ip[i + 1]!).toString(16));
  // RFC 5952: compress the longest run (>= 2) of zero groups.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best === -1) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

function maskTo(ip: Uint8Array, prefix: number): Uint8Array {
  const out = ip.slice();
  for (let i = 0; i < out.length; i++) {
    const bits = Math.max(0, Math.min(8, prefix - i * 8));
    out[i] = out[i]! & ((0xff << (8 - bits)) & 0xff);
  }
  return out;
}
