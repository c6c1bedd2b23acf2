import { isIP } from 'node:net';
import { formatIp, parseIpv6 } from './cidr.js';

export type NormalizedHost = { kind: 'ip'; address: string; family: 4 | 6 } | { kind: 'name'; name: string };

/**
 * Turns a host as found in a URL or handed to a connector into either an IP
 * literal or a DNS name. Host parsing is the WHATWG URL parser's, the same one
 * that decides where a request goes, so the legacy IPv4 forms (`2130706433`,
 * `0x7f000001`, `0177.0.0.1`, `127.1`), percent-encoding and full-width digits
 * all become `127.0.0.1` here exactly as they do on the wire. On top of that:
 * brackets, one trailing dot and an IPv6 zone id are removed, IPv6 is written
 * in its canonical form (RFC 5952) and names are lower-cased. Returns null when the host cannot be parsed at all.
 */
export function normalizeHost(host: string): NormalizedHost | null {
  let h = host.trim();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  const zone = h.indexOf('%');
  if (zone !== -1 && h.includes(':')) h = h.slice(0, zone);
  if (isIP(h) === 0) {
    let parsed: string;
    try {
      parsed = new URL(`http://${h.includes(':') ? `[${h}]` : h}/`).hostname;
    } catch {
      return null;
    }
    h = parsed.startsWith('[') ? parsed.slice(1, -1) : parsed;
  }
  if (h.endsWith('.')) h = h.slice(0, -1);
  if (h === '') return null;
  const family = isIP(h);
  if (family === 4) return { kind: 'ip', address: h, family };
  if (family === 6) return { kind: 'ip', address: formatIp(parseIpv6(h)!), family };
  return { kind: 'name', name: h.toLowerCase() };
}

/** `localhost` and `*.localhost` always mean loopback (RFC 6761), whatever DNS says. */
export function isLocalhostName(name: string): boolean {
  return name === 'localhost' || name.endsWith('.localhost');
}
