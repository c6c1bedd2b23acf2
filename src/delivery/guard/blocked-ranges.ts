import { type Cidr, cidrContains, mappedIpv4, parseCidr, parseIp } from './cidr.js';

/**
 * Addresses outbound delivery refuses unless the operator allowlisted them. Order matters only for the label reported: the
 * narrower range comes first (255.255.255.255 before 240/4, ::1 before ::/96).
 *
 * IPv4-mapped IPv6 (::ffff:0:0/96) is not listed: such an address is checked
 * as the IPv4 address it embeds, so ::ffff:8.8.8.8 passes and ::ffff:127.0.0.1
 * is loopback. Two ranges beyond the standard special-use list are refused as well: ::/96
 * (deprecated IPv4-compatible addresses) and fec0::/10 (deprecated site-local),
 * because both can still reach internal hosts and no legitimate receiver uses them.
 */
const RANGES: ReadonlyArray<readonly [cidr: string, label: string]> = [
  ['0.0.0.0/8', 'this-network'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'shared (CGNAT)'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'IETF protocol assignment'],
  ['192.0.2.0/24', 'documentation'],
  ['192.88.99.0/24', '6to4 relay anycast'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'benchmarking'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['255.255.255.255/32', 'broadcast'],
  ['240.0.0.0/4', 'reserved'],
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['::/96', 'IPv4-compatible (deprecated)'],
  ['64:ff9b::/96', 'NAT64'],
  ['64:ff9b:1::/48', 'NAT64 (local)'],
  ['100::/64', 'discard-only'],
  ['2001:db8::/32', 'documentation'],
  ['2002::/16', '6to4'],
  ['fc00::/7', 'unique local'],
  ['fec0::/10', 'site-local (deprecated)'],
  ['fe80::/10', 'link-local'],
  ['ff00::/8', 'multicast'],
];

export interface BlockedRange {
  readonly cidr: Cidr;
  readonly label: string;
}

export const BLOCKED_RANGES: readonly BlockedRange[] = RANGES.map(([cidr, label]) => ({
  cidr: parseCidr(cidr),
  label,
}));

/** Parses an allowlist once; throws a TypeError naming the first bad entry. */
export function compileAllowlist(allowedTargets: readonly string[]): Cidr[] {
  return allowedTargets.map(parseCidr);
}

const NOT_AN_IP: BlockedRange = {
  cidr: { text: 'not an IP address', bytes: new Uint8Array(0), prefix: 0 },
  label: 'invalid',
};

/**
 * The range that refuses `ip`, or null when it may be reached. Anything that
 * is not an IP address is refused (fail closed). For an IPv4-mapped address
 * both the IPv6 form and the embedded IPv4 are checked against the allowlist.
 */
export function findBlockedRange(ip: string, allow: readonly Cidr[]): BlockedRange | null {
  const bytes = parseIp(ip);
  if (!bytes) return NOT_AN_IP;
  const v4 = mappedIpv4(bytes);
  const candidates = v4 ? [bytes, v4] : [bytes];
  if (allow.some((cidr) => candidates.some((c) => cidrContains(cidr, c)))) return null;
  const effective = v4 ?? bytes;
  return BLOCKED_RANGES.find((r) => cidrContains(r.cidr, effective)) ?? null;
}
