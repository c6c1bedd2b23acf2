import { describe, expect, it } from 'vitest';
import { compileAllowlist, findBlockedRange } from '../../src/delivery/guard/blocked-ranges.js';
import { checkUrl, isBlockedAddress } from '../../src/delivery/guard/check-url.js';
import { cidrContains, formatIp, mappedIpv4, parseCidr, parseIp } from '../../src/delivery/guard/cidr.js';
import { normalizeHost } from '../../src/delivery/guard/normalize.js';

describe('cidr', () => {
  it.each([
    ['1.2.3.4', [1, 2, 3, 4]],
    ['::', new Array(16).fill(0)],
    ['::1', [...new Array(15).fill(0), 1]],
    ['::ffff:1.2.3.4', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4]],
    ['2001:db8::ff00:42:8329', [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0xff, 0, 0, 0x42, 0x83, 0x29]],
    ['fe80::1%eth0', [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]],
    ['1:2:3:4:5:6:7:8', [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]],
  ])('parses %s', (text, bytes) => {
    expect(Array.from(parseIp(text)!)).toEqual(bytes);
  });

  it.each(['', '1.2.3', '1.2.3.256', '0177.0.0.1', 'example.com', '1::2::3', ':::', '12345::', '::ffff:1.2.3'])(
    'refuses to parse %j',
    (text) => {
      expect(parseIp(text)).toBeNull();
    },
  );

  it.each([
    ['::', '::'],
    ['::1', '::1'],
    ['0:0:0:0:0:ffff:a00:1', '::ffff:a00:1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['1:0:2:3:4:5:6:7', '1:0:2:3:4:5:6:7'],
    ['fe80:0:0:0:0:0:0:0', 'fe80::'],
  ])('formats %s as %s', (input, output) => {
    expect(formatIp(parseIp(input)!)).toBe(output);
  });

  it('canonicalises ranges and bare addresses', () => {
    expect(parseCidr('10.1.2.3/8').text).toBe('10.0.0.0/8');
    expect(parseCidr('127.0.0.1').text).toBe('127.0.0.1/32');
    expect(parseCidr('::1').text).toBe('::1/128');
    expect(parseCidr('fd12:3456::/7').text).toBe('fc00::/7');
    expect(parseCidr('0.0.0.0/0').text).toBe('0.0.0.0/0');
  });

  it.each(['10.0.0.0/33', '::/129', 'foo/8', '1.2.3.4/x', '1.2.3.4/-1', '1.2.3.4/', ''])('rejects CIDR %j', (text) => {
    expect(() => parseCidr(text)).toThrow(TypeError);
  });

  it('matches by prefix, never across families', () => {
    const c = parseCidr('172.16.0.0/12');
    expect(cidrContains(c, parseIp('172.16.0.0')!)).toBe(true);
    expect(cidrContains(c, parseIp('172.31.255.255')!)).toBe(true);
    expect(cidrContains(c, parseIp('172.32.0.0')!)).toBe(false);
    expect(cidrContains(parseCidr('::/0'), parseIp('1.2.3.4')!)).toBe(false);
    expect(cidrContains(parseCidr('0.0.0.0/0'), parseIp('::1')!)).toBe(false);
  });

  it('extracts the IPv4 inside an IPv4-mapped address only', () => {
    expect(Array.from(mappedIpv4(parseIp('::ffff:7f00:1')!)!)).toEqual([127, 0, 0, 1]);
    expect(mappedIpv4(parseIp('::7f00:1')!)).toBeNull();
    expect(mappedIpv4(parseIp('64:ff9b::7f00:1')!)).toBeNull();
    expect(mappedIpv4(parseIp('127.0.0.1')!)).toBeNull();
  });
});

describe('blocked ranges', () => {
  // [address, range that blocks it, or null when it may be reached]
  const table: Array<[string, string | null]> = [
    ['0.0.0.0', '0.0.0.0/8'],
    ['0.255.255.255', '0.0.0.0/8'],
    ['1.0.0.0', null],
    ['9.255.255.255', null],
    ['10.0.0.0', '10.0.0.0/8'],
    ['10.255.255.255', '10.0.0.0/8'],
    ['11.0.0.0', null],
    ['100.63.255.255', null],
    ['100.64.0.0', '100.64.0.0/10'],
    ['100.127.255.255', '100.64.0.0/10'],
    ['100.128.0.0', null],
    ['126.255.255.255', null],
    ['127.0.0.0', '127.0.0.0/8'],
    ['127.255.255.255', '127.0.0.0/8'],
    ['128.0.0.0', null],
    ['169.253.255.255', null],
    ['169.254.0.0', '169.254.0.0/16'],
    ['169.254.169.254', '169.254.0.0/16'],
    ['169.255.0.0', null],
    ['172.15.255.255', null],
    ['172.16.0.0', '172.16.0.0/12'],
    ['172.31.255.255', '172.16.0.0/12'],
    ['172.32.0.0', null],
    ['191.255.255.255', null],
    ['192.0.0.0', '192.0.0.0/24'],
    ['192.0.0.255', '192.0.0.0/24'],
    ['192.0.1.0', null],
    ['192.0.2.0', '192.0.2.0/24'],
    ['192.0.3.0', null],
    ['192.88.98.255', null],
    ['192.88.99.1', '192.88.99.0/24'],
    ['192.88.100.0', null],
    ['192.167.255.255', null],
    ['192.168.0.0', '192.168.0.0/16'],
    ['192.168.255.255', '192.168.0.0/16'],
    ['192.169.0.0', null],
    ['198.17.255.255', null],
    ['198.18.0.0', '198.18.0.0/15'],
    ['198.19.255.255', '198.18.0.0/15'],
    ['198.20.0.0', null],
    ['198.51.100.7', '198.51.100.0/24'],
    ['198.51.101.0', null],
    ['203.0.113.9', '203.0.113.0/24'],
    ['203.0.114.0', null],
    ['223.255.255.255', null],
    ['224.0.0.0', '224.0.0.0/4'],
    ['239.255.255.255', '224.0.0.0/4'],
    ['240.0.0.0', '240.0.0.0/4'],
    ['255.255.255.254', '240.0.0.0/4'],
    ['255.255.255.255', '255.255.255.255/32'],
    ['8.8.8.8', null],
    ['93.184.216.34', null],
    ['::', '::/128'],
    ['::1', '::1/128'],
    ['::2', '::/96'],
    ['::7f00:1', '::/96'],
    ['::1:0:0', null],
    ['::ffff:8.8.8.8', null],
    ['::ffff:127.0.0.1', '127.0.0.0/8'],
    ['::ffff:7f00:1', '127.0.0.0/8'],
    ['0:0:0:0:0:ffff:a00:1', '10.0.0.0/8'],
    ['::ffff:a9fe:a9fe', '169.254.0.0/16'],
    ['64:ff9b::808:808', '64:ff9b::/96'],
    ['64:ff9b::1:0:0', null],
    ['64:ff9b:1::1', '64:ff9b:1::/48'],
    ['64:ff9b:2::1', null],
    ['100::1', '100::/64'],
    ['100:0:0:1::1', null],
    ['2001:db7:ffff:ffff::', null],
    ['2001:db8::1', '2001:db8::/32'],
    ['2001:db9::', null],
    ['2001:4860:4860::8888', null],
    ['2002::1', '2002::/16'],
    ['2002:7f00:1::', '2002::/16'],
    ['2003::', null],
    ['2606:4700:4700::1111', null],
    ['fbff:ffff::', null],
    ['fc00::', 'fc00::/7'],
    ['fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'fc00::/7'],
    ['fe00::1', null],
    ['fe7f:ffff::', null],
    ['fe80::', 'fe80::/10'],
    ['febf:ffff::', 'fe80::/10'],
    ['fe80::1%eth0', 'fe80::/10'],
    ['fec0::1', 'fec0::/10'],
    ['ff00::', 'ff00::/8'],
    ['ff02::1', 'ff00::/8'],
    ['[::1]', '::1/128'],
    ['example.com', 'not an IP address'],
    ['', 'not an IP address'],
  ];

  it.each(table)('%s -> %s', (ip, range) => {
    expect(isBlockedAddress(ip, [])).toEqual(range === null ? { blocked: false } : { blocked: true, range });
  });

  it('gives the range a label', () => {
    expect(findBlockedRange('10.0.0.1', [])?.label).toBe('private');
    expect(findBlockedRange('::ffff:127.0.0.1', [])?.label).toBe('loopback');
    expect(findBlockedRange('169.254.169.254', [])?.label).toBe('link-local');
  });

  it('lets the allowlist win, for every form of an allowlisted address', () => {
    const loop = ['127.0.0.0/8'];
    for (const ip of [
      '127.0.0.1',
      '127.9.9.9',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '0x7f000001',
      '2130706433',
      '127.1',
    ]) {
      expect(isBlockedAddress(ip, loop), ip).toEqual({ blocked: false });
    }
    expect(isBlockedAddress('10.0.0.1', loop)).toEqual({ blocked: true, range: '10.0.0.0/8' });
    expect(isBlockedAddress('::1', loop)).toEqual({ blocked: true, range: '::1/128' });
    expect(isBlockedAddress('::1', ['::1/128'])).toEqual({ blocked: false });
    expect(isBlockedAddress('127.0.0.1', ['::1/128'])).toEqual({ blocked: true, range: '127.0.0.0/8' });
    expect(isBlockedAddress('10.1.2.3', ['10.1.0.0/16'])).toEqual({ blocked: false });
    expect(isBlockedAddress('10.2.0.0', ['10.1.0.0/16'])).toEqual({ blocked: true, range: '10.0.0.0/8' });
    expect(isBlockedAddress('fd00::5', ['fd00::/8'])).toEqual({ blocked: false });
  });

  it('refuses a malformed allowlist', () => {
    expect(() => compileAllowlist(['127.0.0.0/8', 'localhost'])).toThrow(/invalid CIDR "localhost"/);
  });
});

describe('normalizeHost', () => {
  it.each([
    ['2130706433', '127.0.0.1'],
    ['0x7f000001', '127.0.0.1'],
    ['0177.0.0.1', '127.0.0.1'],
    ['127.1', '127.0.0.1'],
    ['0x7f.1', '127.0.0.1'],
    ['127.0.0.1.', '127.0.0.1'],
    ['%31%32%37.0.0.1', '127.0.0.1'],
    ['192.168.0x1.1', '192.168.1.1'],
    ['0', '0.0.0.0'],
    ['[::1]', '::1'],
    ['[::ffff:127.0.0.1]', '::ffff:7f00:1'],
    ['::FFFF:127.0.0.1', '::ffff:7f00:1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['fe80::1%eth0', 'fe80::1'],
  ])('%s is the IP %s', (host, address) => {
    expect(normalizeHost(host)).toMatchObject({ kind: 'ip', address });
  });

  it('lower-cases names and drops one trailing dot', () => {
    expect(normalizeHost('Example.COM.')).toEqual({ kind: 'name', name: 'example.com' });
    expect(normalizeHost('localhost')).toEqual({ kind: 'name', name: 'localhost' });
  });

  it.each(['', '.', 'a b', '1.2.3.4.5', '[::1'])('rejects %j', (host) => {
    expect(normalizeHost(host)).toBeNull();
  });

  it.each([
    'http://2130706433/',
    'http://0x7f000001/',
    'http://0177.0.0.1/',
    'http://127.1/',
    'http://0x7f.0.0.1/',
    'http://017700000001/',
    'http://127.0.0.1./',
    'http://good.com@127.0.0.1/',
  ])('the URL parser already turns %s into 127.0.0.1', (url) => {
    expect(new URL(url).hostname).toBe('127.0.0.1');
    expect(checkUrl(url, { allowedTargets: [] }).ok).toBe(false);
  });
});

describe('checkUrl', () => {
  it('accepts public http(s) URLs and returns the parsed URL', () => {
    const r = checkUrl('https://hooks.example.com/in?x=1', { allowedTargets: [] });
    expect(r.ok && r.url.hostname).toBe('hooks.example.com');
    expect(checkUrl('http://93.184.216.34:8080/', { allowedTargets: [] }).ok).toBe(true);
    expect(checkUrl('https://[2606:4700:4700::1111]/', { allowedTargets: [] }).ok).toBe(true);
    expect(checkUrl('https://example.com/', { allowedTargets: [], httpsOnly: true }).ok).toBe(true);
  });

  it.each([
    ['not a url', 'URL is not valid'],
    ['', 'URL is not valid'],
    ['ftp://example.com/', 'scheme ftp: is not allowed'],
    ['file:///etc/passwd', 'scheme file: is not allowed'],
    ['javascript:alert(1)', 'scheme javascript: is not allowed'],
    ['gopher://127.0.0.1:6379/_', 'scheme gopher: is not allowed'],
    ['http://user:pw@example.com/', 'credentials in the URL are not allowed'],
    ['http://good.com@127.0.0.1/', 'credentials in the URL are not allowed'],
    ['http://127.0.0.1/', 'address 127.0.0.1 is loopback (127.0.0.0/8)'],
    ['http://10.0.0.1/', 'address 10.0.0.1 is private (10.0.0.0/8)'],
    ['http://169.254.169.254/latest', 'address 169.254.169.254 is link-local (169.254.0.0/16)'],
    ['http://[::ffff:7f00:1]/', 'address ::ffff:7f00:1 is loopback (127.0.0.0/8)'],
    ['http://[fd00::1]/', 'address fd00::1 is unique local (fc00::/7)'],
    ['http://localhost:8080/', 'host localhost is loopback (127.0.0.0/8)'],
    ['http://api.localhost/', 'host api.localhost is loopback (127.0.0.0/8)'],
  ])('rejects %j: %s', (url, reason) => {
    const r = checkUrl(url, { allowedTargets: [] });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toContain(reason);
  });

  it('refuses http when httpsOnly', () => {
    expect(checkUrl('http://example.com/', { allowedTargets: [], httpsOnly: true })).toEqual({
      ok: false,
      reason: 'only https:// URLs are allowed',
      setting: 'HOOKWAY_HTTPS_ONLY',
    });
  });

  it('accepts allowlisted private targets in any literal form', () => {
    const opts = { allowedTargets: ['127.0.0.0/8', '::1/128'] };
    for (const url of ['http://127.0.0.1:3000/', 'http://0x7f000001/', 'http://localhost/', 'http://[::1]/']) {
      expect(checkUrl(url, opts).ok, url).toBe(true);
    }
    expect(checkUrl('http://10.0.0.1/', opts).ok).toBe(false);
  });
});
