import { once } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import net, { type AddressInfo, type LookupFunction } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSender, type Sender, type SenderOptions } from '../../src/delivery/sender.js';

interface TestServer {
  url: string;
  port: number;
  connections: number;
  requests: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: string }>;
}

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestServer> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      handler(req, res);
    });
  });
  const sockets = new Set<net.Socket>();
  server.on('connection', (s) => {
    state.connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const state: TestServer = { url: `http://127.0.0.1:${port}`, port, connections: 0, requests: [] };
  cleanups.push(async () => {
    for (const s of sockets) s.destroy();
    server.close();
    await once(server, 'close');
  });
  return state;
}

function sender(opts: Partial<SenderOptions> = {}): Sender {
  const s = createSender({ allowedTargets: ['127.0.0.0/8'], userAgent: 'Hookway/0.1', ...opts });
  cleanups.push(() => s.close());
  return s;
}

const post = (url: string, extra: { timeoutMs?: number; headers?: Record<string, string> } = {}) => ({
  url,
  headers: { 'content-type': 'application/json', 'webhook-signature': 'v1,SECRET', ...extra.headers },
  body: '{"type":"ping"}',
  timeoutMs: extra.timeoutMs ?? 5_000,
});

describe('sender', () => {
  it('POSTs the body and headers and records a 2xx answer', async () => {
    const srv = await startServer((_req, res) => {
      res.setHeader('content-type', 'text/plain');
      res.setHeader('x-multi', ['a', 'b']);
      res.end('ok');
    });
    const r = await sender().send(post(`${srv.url}/hook?x=1`));
    expect(r).toMatchObject({ statusCode: 200, body: 'ok', errorKind: null, errorDetail: null });
    expect(r.headers?.['content-type']).toBe('text/plain');
    expect(r.headers?.['x-multi']).toBe('a, b');
    expect(r.retryAfterSeconds).toBeUndefined();
    expect(r.durationMs).toBeGreaterThanOrEqual(0);
    const [got] = srv.requests;
    expect(got).toMatchObject({ method: 'POST', url: '/hook?x=1', body: '{"type":"ping"}' });
    expect(got?.headers['user-agent']).toBe('Hookway/0.1');
    expect(got?.headers['webhook-signature']).toBe('v1,SECRET');
  });

  it('keeps a user-agent the request set itself, whatever its case', async () => {
    const srv = await startServer((_req, res) => res.end());
    const r = await sender().send(post(srv.url, { headers: { 'User-Agent': 'Custom/1' } }));
    expect(r.errorKind).toBeNull();
    expect(srv.requests[0]?.headers['user-agent']).toBe('Custom/1');
  });

  it('sends a Buffer body byte for byte', async () => {
    const srv = await startServer((_req, res) => res.end());
    await sender().send({ ...post(srv.url), body: Buffer.from('{"é":1}') });
    expect(srv.requests[0]?.body).toBe('{"é":1}');
  });

  it('reports a 500 as http_error with the body', async () => {
    const srv = await startServer((_req, res) => {
      res.statusCode = 500;
      res.end('boom');
    });
    const r = await sender().send(post(srv.url));
    expect(r).toMatchObject({ statusCode: 500, body: 'boom', errorKind: 'http_error', errorDetail: 'HTTP 500' });
  });

  it('never follows a redirect', async () => {
    const target = await startServer((_req, res) => res.end('followed'));
    const srv = await startServer((_req, res) => {
      res.writeHead(302, { location: `${target.url}/elsewhere` });
      res.end();
    });
    const r = await sender().send(post(srv.url));
    expect(r).toMatchObject({ statusCode: 302, errorKind: 'http_error' });
    expect(r.headers?.location).toBe(`${target.url}/elsewhere`);
    expect(target.connections).toBe(0);
    expect(target.requests).toHaveLength(0);
  });

  it('times out at timeoutMs when the server never answers', async () => {
    const srv = await startServer(() => {});
    const r = await sender().send(post(srv.url, { timeoutMs: 300 }));
    expect(r).toMatchObject({ statusCode: 0, errorKind: 'timeout' });
    expect(r.durationMs).toBeGreaterThanOrEqual(280);
    expect(r.durationMs).toBeLessThan(1_500);
  });

  it('times out when the body never ends; a non-2xx status is kept', async () => {
    const srv = await startServer((_req, res) => {
      res.writeHead(503, { 'content-length': '100' });
      res.write('partial');
    });
    const r = await sender().send(post(srv.url, { timeoutMs: 300 }));
    expect(r).toMatchObject({ statusCode: 503, errorKind: 'http_error' });
    expect(r.errorDetail).toMatch(/^HTTP 503; response body cut after 7 bytes: /);
    expect(r.durationMs).toBeLessThan(1_500);
  });

  it('counts a 2xx as delivered even when its body then stalls', async () => {
    const srv = await startServer((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
    });
    const r = await sender().send(post(srv.url, { timeoutMs: 300 }));
    expect(r).toMatchObject({ statusCode: 200, errorKind: null, body: 'partial' });
    expect(r.errorDetail).toMatch(/^response body cut after 7 bytes: /);
  });

  it('reports connection refused as network', async () => {
    const probe = net.createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as AddressInfo;
    probe.close();
    await once(probe, 'close');
    const r = await sender().send(post(`http://127.0.0.1:${port}/`));
    expect(r).toMatchObject({ statusCode: 0, headers: null, errorKind: 'network' });
    expect(r.errorDetail).toContain('ECONNREFUSED');
  });

  it('reports a DNS failure as network', async () => {
    const lookup: LookupFunction = (hostname, _o, cb) =>
      cb(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '');
    const r = await sender({ lookup }).send(post('http://nowhere.example/'));
    expect(r).toMatchObject({ errorKind: 'network', errorDetail: 'getaddrinfo ENOTFOUND nowhere.example' });
  });

  it('reports a socket destroyed mid-request as network or invalid_response', async () => {
    const srv = await startServer((req) => req.socket.destroy());
    const r = await sender().send(post(srv.url));
    expect(r.statusCode).toBe(0);
    expect(['network', 'invalid_response']).toContain(r.errorKind);
  });

  it('reports a malformed HTTP response as invalid_response', async () => {
    const raw = net.createServer((s) => {
      s.once('data', () => s.end('HTTP/1.1 abc garbage\r\n\r\n'));
    });
    raw.listen(0, '127.0.0.1');
    await once(raw, 'listening');
    cleanups.push(async () => {
      raw.close();
      await once(raw, 'close');
    });
    const { port } = raw.address() as AddressInfo;
    const r = await sender().send(post(`http://127.0.0.1:${port}/`));
    expect(r).toMatchObject({ statusCode: 0, errorKind: 'invalid_response' });
  });

  it('cuts the stored response body at maxResponseBytes', async () => {
    const big = 'x'.repeat(100_000);
    const srv = await startServer((_req, res) => res.end(big));
    const r = await sender().send(post(srv.url));
    expect(r).toMatchObject({ statusCode: 200, errorKind: null });
    expect(r.body).toHaveLength(20_000);
    expect(r.errorDetail).toBe('response body cut at 20000 bytes');
    const small = await sender({ maxResponseBytes: 10 }).send(post(srv.url));
    expect(small.body).toBe('xxxxxxxxxx');
  });

  it('parses Retry-After in seconds and as an HTTP date', async () => {
    let value = '120';
    const srv = await startServer((_req, res) => {
      res.writeHead(429, { 'retry-after': value });
      res.end();
    });
    const s = sender();
    expect(await s.send(post(srv.url))).toMatchObject({ errorKind: 'http_error', retryAfterSeconds: 120 });
    value = new Date(Date.now() + 60_000).toUTCString();
    const dated = await s.send(post(srv.url));
    expect(dated.retryAfterSeconds).toBeGreaterThanOrEqual(58);
    expect(dated.retryAfterSeconds).toBeLessThanOrEqual(61);
    value = new Date(Date.now() - 60_000).toUTCString();
    expect((await s.send(post(srv.url))).retryAfterSeconds).toBe(0);
    value = 'soon';
    expect((await s.send(post(srv.url))).retryAfterSeconds).toBeUndefined();
  });

  it('reuses one keep-alive connection across sequential sends', async () => {
    const srv = await startServer((_req, res) => res.end('ok'));
    const s = sender();
    for (let i = 0; i < 20; i++) {
      expect((await s.send(post(srv.url))).errorKind).toBeNull();
      // undici hands a socket back to the pool one event-loop turn after a
      // response ends (client-h1.js onMessageComplete: it waits to see whether
      // the server closes despite keep-alive). The engine always has a turn
      // between two sends; without one, see the next test.
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(srv.requests).toHaveLength(20);
    expect(srv.connections).toBe(1);
  });

  it('uses at most two connections for back-to-back sends', async () => {
    const srv = await startServer((_req, res) => res.end('ok'));
    const s = sender();
    for (let i = 0; i < 20; i++) expect((await s.send(post(srv.url))).errorKind).toBeNull();
    expect(srv.connections).toBeLessThanOrEqual(2);
  });

  it('refuses loopback unless allowlisted, before any connection', async () => {
    const srv = await startServer((_req, res) => res.end('ok'));
    const r = await sender({ allowedTargets: [] }).send(post(srv.url));
    expect(r).toMatchObject({
      statusCode: 0,
      errorKind: 'blocked',
      errorDetail: 'address 127.0.0.1 is loopback (127.0.0.0/8); HOOKWAY_ALLOWED_TARGETS can allow it',
    });
    expect(srv.connections).toBe(0);
  });

  it('connects to the address it checked: one lookup per connection, no second one (DNS rebinding)', async () => {
    const srv = await startServer((_req, res) => res.end('ok'));
    const answers = ['127.0.0.1', '169.254.169.254'];
    let calls = 0;
    const rebinding: LookupFunction = (_hostname, options, cb) => {
      const address = answers[Math.min(calls++, answers.length - 1)]!;
      if (options.all) cb(null, [{ address, family: 4 }]);
      else cb(null, address, 4);
    };
    const s = sender({ lookup: rebinding });
    const r = await s.send(post(`http://rebind.example:${srv.port}/`));
    expect(r).toMatchObject({ statusCode: 200, errorKind: null });
    expect(calls).toBe(1);
    expect(srv.requests[0]?.headers.host).toBe(`rebind.example:${srv.port}`);
  });

  it('refuses http:// when httpsOnly, and bad URLs, without throwing', async () => {
    const srv = await startServer((_req, res) => res.end('ok'));
    const s = sender({ httpsOnly: true });
    expect(await s.send(post(srv.url))).toMatchObject({
      errorKind: 'blocked',
      errorDetail: 'only https:// URLs are allowed',
    });
    expect(await s.send(post('not a url'))).toMatchObject({ statusCode: 0, errorKind: 'blocked' });
    expect(await sender().send(post('ftp://127.0.0.1/'))).toMatchObject({ errorKind: 'blocked' });
    expect(srv.connections).toBe(0);
  });

  it('turns a nonsensical timeout into an immediate timeout instead of throwing', async () => {
    const srv = await startServer(() => {});
    for (const timeoutMs of [0, -5, Number.NaN]) {
      expect(await sender().send(post(srv.url, { timeoutMs }))).toMatchObject({ errorKind: 'timeout' });
    }
  });

  it('never puts request headers into errorDetail', async () => {
    const srv = await startServer((req) => req.socket.destroy());
    const results = await Promise.all([
      sender().send(post(srv.url)),
      sender({ allowedTargets: [] }).send(post(srv.url)),
      sender().send(post(`${srv.url}/`, { timeoutMs: 1 })),
    ]);
    for (const r of results) expect(JSON.stringify(r)).not.toContain('SECRET');
  });
});

describe('sender through an egress proxy', () => {
  async function startProxy() {
    const state = { connects: [] as string[] };
    const proxy = http.createServer((_req, res) => {
      res.statusCode = 405;
      res.end();
    });
    const sockets = new Set<net.Socket>();
    proxy.on('connect', (req: IncomingMessage, client: net.Socket) => {
      state.connects.push(req.url ?? '');
      sockets.add(client);
      const [host, port] = (req.url ?? '').split(':');
      const upstream = net.connect(Number(port), host === 'public.example' ? '127.0.0.1' : host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client);
        client.pipe(upstream);
      });
      sockets.add(upstream);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    proxy.listen(0, '127.0.0.1');
    await once(proxy, 'listening');
    cleanups.push(async () => {
      for (const s of sockets) s.destroy();
      proxy.close();
      await once(proxy, 'close');
    });
    return { ...state, url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, state };
  }

  const lookup: LookupFunction = (hostname, options, cb) => {
    const map: Record<string, string> = { 'public.example': '127.0.0.1', 'metadata.internal': '169.254.169.254' };
    const address = map[hostname];
    if (!address) return cb(Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' }), '');
    if (options.all) cb(null, [{ address, family: 4 }]);
    else cb(null, address, 4);
  };

  it('tunnels to an allowed target and checks the target, not the proxy', async () => {
    const srv = await startServer((_req, res) => res.end('via proxy'));
    const proxy = await startProxy();
    const s = sender({ proxyUrl: proxy.url, lookup });
    const r = await s.send(post(`http://public.example:${srv.port}/`));
    expect(r).toMatchObject({ statusCode: 200, body: 'via proxy', errorKind: null });
    expect(proxy.state.connects).toEqual([`public.example:${srv.port}`]);
  });

  it('refuses a blocked target before the proxy sees it', async () => {
    const proxy = await startProxy();
    const s = sender({ proxyUrl: proxy.url, lookup, allowedTargets: [] });
    expect(await s.send(post('http://10.0.0.1/'))).toMatchObject({ errorKind: 'blocked' });
    expect(await s.send(post('http://metadata.internal/'))).toMatchObject({
      errorKind: 'blocked',
      errorDetail: 'address 169.254.169.254 is link-local (169.254.0.0/16); HOOKWAY_ALLOWED_TARGETS can allow it',
    });
    expect(await s.send(post('http://public.example/'))).toMatchObject({ errorKind: 'blocked' });
    expect(proxy.state.connects).toEqual([]);
  });
});
