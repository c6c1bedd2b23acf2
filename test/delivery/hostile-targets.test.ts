import { once } from 'node:events';
import http from 'node:http';
import net, { type AddressInfo, type LookupFunction } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkUrl } from '../../src/delivery/guard/check-url.js';
import { createSender, type Sender } from '../../src/delivery/sender.js';

/**
 * A corpus of SSRF targets. Every one must be refused at connect time with
 * errorKind 'blocked' (and, for literal addresses, already by checkUrl at
 * endpoint creation); then the loopback ones must work once allowlisted,
 * against a real local server. `P` in a URL is the port of that server, so a
 * guard that failed open would show up as a connection the server saw.
 */

/** An /etc/hosts-style lookup fixture: name -> one address or several. */
function hostsLookup(hosts: Record<string, string | string[]>): LookupFunction {
  return (hostname, options, callback) => {
    const entry = hosts[hostname.toLowerCase().replace(/\.$/, '')];
    setImmediate(() => {
      if (entry === undefined) {
        callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '');
        return;
      }
      const all = (Array.isArray(entry) ? entry : [entry]).map((address) => ({ address, family: net.isIP(address) }));
      if (options.all) callback(null, all);
      else callback(null, all[0]!.address, all[0]!.family);
    });
  };
}

const HOSTS: Record<string, string | string[]> = {
  'metadata.internal': '169.254.169.254',
  'metadata.google.internal': '169.254.169.254',
  'rebind.example': ['93.184.216.34', '10.0.0.5'],
  'rebind6.example': ['2606:2800:220:1:248:1893:25c8:1946', 'fd00::5'],
  'localhost.example': '::1',
  'loopback.example': '127.0.0.1',
  'mapped.example': '::ffff:127.0.0.1',
  'nat64.example': '64:ff9b::a9fe:a9fe',
  'zero.example': '0.0.0.0',
  'private.example': '192.168.0.10',
  'cgnat.example': '100.64.0.1',
  'linklocal6.example': 'fe80::1',
  localhost: '127.0.0.1',
  'public.example': '127.0.0.1',
};

type Case = [url: string, literal: boolean];

// Literal addresses: checkUrl refuses them too.
const LITERALS: string[] = [
  'http://127.0.0.1:P/',
  'http://2130706433:P/',
  'http://0x7f000001:P/',
  'http://0177.0.0.1:P/',
  'http://127.1:P/',
  'http://0x7f.1:P/',
  'http://0177.1:P/',
  'http://0x7f.0.0.1:P/',
  'http://127.0.0.1.:P/',
  'http://017700000001:P/',
  'http://%31%32%37.0.0.1:P/',
  'http://127.255.255.254:P/',
  'https://127.0.0.1:P/',
  'http://good.com@127.0.0.1:P/',
  'http://0.0.0.0:P/',
  'http://0:P/',
  'http://[::1]:P/',
  'http://[0:0:0:0:0:0:0:1]:P/',
  'http://[::]:P/',
  'http://[::ffff:127.0.0.1]:P/',
  'http://[::ffff:7f00:1]:P/',
  'http://[0:0:0:0:0:ffff:7f00:1]:P/',
  'http://[::127.0.0.1]:P/',
  'http://[0:0:0:0:0:ffff:a00:1]/',
  'http://[::ffff:169.254.169.254]/',
  'http://[64:ff9b::a00:1]/',
  'http://[64:ff9b::7f00:1]:P/',
  'http://[64:ff9b:1::1]/',
  'http://[fc00::1]/',
  'http://[fd12:3456::1]/',
  'http://[fe80::1]/',
  'http://[fec0::1]/',
  'http://[ff02::1]/',
  'http://[100::1]/',
  'http://[2001:db8::1]/',
  'http://[2002:7f00:1::]/',
  'http://169.254.169.254/latest/meta-data/',
  'http://0xa9fea9fe/',
  'http://2852039166/',
  'http://0251.0376.0251.0376/',
  'http://169.254.169.254./',
  'http://100.64.0.1/',
  'http://198.18.0.1/',
  'http://10.0.0.1/',
  'http://012.0.0.1/',
  'http://172.16.0.1/',
  'http://172.31.255.255/',
  'http://192.168.1.1/',
  'http://192.168.0x1.1/',
  'http://192.0.0.8/',
  'http://192.0.2.1/',
  'http://192.88.99.1/',
  'http://198.51.100.1/',
  'http://203.0.113.1/',
  'http://255.255.255.255/',
  'http://224.0.0.1/',
  'http://240.0.0.1/',
];

// Names that resolve (through the fixture) to something blocked: only the
// connect-time guard can catch these.
const NAMES: string[] = [
  'http://metadata.internal/',
  'http://metadata.google.internal/computeMetadata/v1/',
  'https://metadata.internal/',
  'http://rebind.example/',
  'http://rebind6.example/',
  'http://localhost.example:P/',
  'http://loopback.example:P/',
  'http://LOOPBACK.Example.:P/',
  'http://mapped.example:P/',
  'http://nat64.example/',
  'http://zero.example:P/',
  'http://private.example./',
  'http://cgnat.example/',
  'http://linklocal6.example/',
];

const CORPUS: Case[] = [...LITERALS.map((u): Case => [u, true]), ...NAMES.map((u): Case => [u, false])];

let server: http.Server;
let server6: http.Server | null = null;
let port = 0;
let connections = 0;
const ipv6 = await canListenOnIpv6Loopback();
const sockets = new Set<net.Socket>();

async function listen(host: string): Promise<http.Server> {
  const s = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.headers.host?.startsWith('public.example')) {
        res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
        res.end();
      } else {
        res.end('reached');
      }
    });
  });
  s.on('connection', (sock) => {
    connections++;
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
  });
  s.listen(port, host);
  await once(s, 'listening');
  return s;
}

beforeAll(async () => {
  server = await listen('127.0.0.1');
  port = (server.address() as AddressInfo).port;
  if (ipv6) server6 = await listen('::1');
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  for (const s of [server, server6]) {
    if (!s) continue;
    s.close();
    await once(s, 'close');
  }
});

async function canListenOnIpv6Loopback(): Promise<boolean> {
  const probe = net.createServer();
  try {
    probe.listen(0, '::1');
    await once(probe, 'listening');
    probe.close();
    return true;
  } catch {
    return false;
  }
}

const withPort = (url: string) => url.replace(':P/', `:${port}/`);

describe('hostile targets are refused', () => {
  let sender: Sender;
  beforeAll(() => {
    sender = createSender({ allowedTargets: [], userAgent: 'Hookway/0.1', lookup: hostsLookup(HOSTS) });
  });
  afterAll(() => sender.close());

  it('has a corpus of at least 40 targets', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(40);
  });

  it.each(CORPUS)('%s', async (template, literal) => {
    const url = withPort(template);
    const before = connections;
    const r = await sender.send({ url, headers: {}, body: '{}', timeoutMs: 3_000 });
    expect(r, JSON.stringify(r)).toMatchObject({ statusCode: 0, errorKind: 'blocked' });
    expect(r.errorDetail).toMatch(/ is |credentials/);
    expect(connections).toBe(before);
    expect(checkUrl(url, { allowedTargets: [] }).ok).toBe(!literal);
  });

  it('does not follow a redirect from an allowed host to a blocked one', async () => {
    const s = createSender({ allowedTargets: ['127.0.0.0/8'], userAgent: 'Hookway/0.1', lookup: hostsLookup(HOSTS) });
    try {
      const r = await s.send({ url: `http://public.example:${port}/`, headers: {}, body: '{}', timeoutMs: 3_000 });
      expect(r).toMatchObject({ statusCode: 302, errorKind: 'http_error' });
      expect(r.headers?.location).toBe('http://169.254.169.254/latest/meta-data/');
    } finally {
      await s.close();
    }
  });
});

describe('allowlisted loopback targets are reached', () => {
  let sender: Sender;
  beforeAll(() => {
    sender = createSender({
      allowedTargets: ['127.0.0.0/8', '::1/128'],
      userAgent: 'Hookway/0.1',
      lookup: hostsLookup(HOSTS),
    });
  });
  afterAll(() => sender.close());

  // [url, needs IPv6 loopback (left out on machines without it)]
  const ALLOWED: Array<[string, boolean]> = [
    ['http://127.0.0.1:P/', false],
    ['http://2130706433:P/', false],
    ['http://0x7f000001:P/', false],
    ['http://0177.0.0.1:P/', false],
    ['http://127.1:P/', false],
    ['http://0x7f.1:P/', false],
    ['http://0177.1:P/', false],
    ['http://127.0.0.1.:P/', false],
    ['http://017700000001:P/', false],
    ['http://%31%32%37.0.0.1:P/', false],
    ['http://loopback.example:P/', false],
    ['http://LOOPBACK.Example.:P/', false],
    ['http://localhost:P/', false],
    ['http://[::1]:P/', true],
    ['http://[0:0:0:0:0:0:0:1]:P/', true],
    ['http://[::ffff:127.0.0.1]:P/', true],
    ['http://[::ffff:7f00:1]:P/', true],
    ['http://localhost.example:P/', true],
    ['http://mapped.example:P/', true],
  ];

  it.each(ALLOWED.filter(([, needsIpv6]) => ipv6 || !needsIpv6))('%s', async (template) => {
    const url = withPort(template);
    expect(checkUrl(url, { allowedTargets: ['127.0.0.0/8', '::1/128'] }).ok).toBe(true);
    const r = await sender.send({ url, headers: {}, body: '{}', timeoutMs: 3_000 });
    expect(r, JSON.stringify(r)).toMatchObject({ statusCode: 200, body: 'reached', errorKind: null });
  });

  it('still refuses what the allowlist does not cover', async () => {
    for (const url of [
      'http://10.0.0.1/',
      'http://metadata.internal/',
      'http://rebind.example/',
      `http://0.0.0.0:${port}/`,
    ]) {
      const r = await sender.send({ url, headers: {}, body: '{}', timeoutMs: 3_000 });
      expect(r.errorKind, url).toBe('blocked');
    }
  });
});
