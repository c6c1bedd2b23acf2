import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonDepthExceeds, parseJsonBody } from '../../src/api/plugins/json-body.js';
import { createRateLimiter } from '../../src/api/plugins/rate-limit.js';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { makeKey } from './helpers.js';

describe('token bucket', () => {
  it('allows the burst, then the rate, and says how long to wait', () => {
    const limiter = createRateLimiter({ rate: 2, burst: 3 });
    expect([0, 0, 0].map(() => limiter.take('k', 1000))).toEqual([0, 0, 0]);
    expect(limiter.take('k', 1000)).toBe(1);
    expect(limiter.take('other', 1000)).toBe(0);
    expect(limiter.take('k', 1500)).toBe(0); // half a second at 2/s refills one
    expect(limiter.take('k', 1500)).toBe(1);
  });
});

describe('JSON depth', () => {
  const nest = (n: number) => '['.repeat(n) + ']'.repeat(n);
  it('counts structure, not brackets inside strings', () => {
    expect(jsonDepthExceeds(nest(64), 64)).toBe(false);
    expect(jsonDepthExceeds(nest(65), 64)).toBe(true);
    expect(jsonDepthExceeds(`{"a":"${'['.repeat(1000)}"}`, 64)).toBe(false);
    expect(jsonDepthExceeds(`{"a":"\\"${'{'.repeat(100)}\\\\"}`, 64)).toBe(false);
    expect(jsonDepthExceeds(`["\\\\", ${nest(70)}]`, 64)).toBe(true);
  });
  it('refuses deep, poisoned and non-UTF-8 bodies; parses the rest', () => {
    expect(parseJsonBody(Buffer.from(`{"a":${nest(63)}}`), 64)).toEqual({ a: JSON.parse(nest(63)) });
    for (const bad of [
      nest(65),
      '{"__proto__":{"x":1}}',
      '{"\\u005f_proto__":{"x":1}}',
      '{"constructor":{"prototype":{}}}',
      '',
    ]) {
      expect(() => parseJsonBody(Buffer.from(bad), 64), bad).toThrow(expect.objectContaining({ code: 'invalid_json' }));
    }
    expect(() => parseJsonBody(Buffer.from([0x22, 0xff, 0x22]), 64)).toThrow(/UTF-8/);
    expect(parseJsonBody(Buffer.from('{"constructor":"fine"}'), 64)).toEqual({ constructor: 'fine' });
  });
  it('is linear: a 2 MB body is checked in milliseconds, like JSON.parse', () => {
    const body = JSON.stringify({
      items: Array.from({ length: 20_000 }, (_, i) => ({ i, s: 'x'.repeat(80), n: [i] })),
    });
    // The best of a few runs, so a busy machine or a cold JIT does not decide.
    const best = (fn: () => unknown) =>
      Math.min(
        ...Array.from({ length: 5 }, () => {
          const t = performance.now();
          fn();
          return performance.now() - t;
        }),
      );
    const scan = best(() => jsonDepthExceeds(body, 64));
    const parse = best(() => JSON.parse(body));
    expect(scan).toBeLessThan(Math.max(3 * parse, 30));
  });
});

describe('abuse limits on a live server', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(
      {},
      {
        HOOKWAY_API_RATE_LIMIT: '5',
        HOOKWAY_API_RATE_BURST: '5',
        HOOKWAY_INGEST_RATE_LIMIT: '2',
        HOOKWAY_INGEST_RATE_BURST: '2',
        HOOKWAY_HEADERS_TIMEOUT_MS: '500',
        HOOKWAY_BODY_LIMIT: '65536',
      },
    );
  });
  afterAll(() => server.close());

  it('rate-limits each API key on its own: 429 with Retry-After', async () => {
    const other = { url: server.url, token: (await makeKey(server, ['admin'])).token };
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof api>> | undefined;
    for (let i = 0; i < 8; i++) {
      const r = await api(server, 'GET', '/api/v1/app');
      statuses.push(r.status);
      if (r.status === 429) limited = r;
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
    expect(limited?.body).toEqual({ code: 'rate_limited', detail: expect.any(String) });
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Another key has a bucket of its own; health is public and never limited.
    expect((await api(other, 'GET', '/api/v1/app')).status).toBe(200);
    expect((await fetch(`${server.url}/api/v1/health`)).status).toBe(204);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await api(server, 'GET', '/api/v1/app')).status).toBe(200);
  });

  it('rate-limits each inbound source', async () => {
    await new Promise((r) => setTimeout(r, 1100));
    const src = await api(server, 'POST', '/ingest/api/v1/source', { name: 'flood', type: 'generic-webhook' });
    expect(src.status).toBe(201);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await fetch(`${server.url}/in/${src.body.id}`, {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      });
      statuses.push(r.status);
      if (r.status === 429) expect(r.headers.get('retry-after')).toBeTruthy();
    }
    expect(statuses.slice(0, 2).every((s) => s < 300)).toBe(true);
    expect(statuses).toContain(429);
  });

  it('refuses oversized bodies (413), too deep JSON (400) and oversized headers (431), as {code, detail}', async () => {
    await new Promise((r) => setTimeout(r, 1100));
    const big = await api(server, 'POST', '/api/v1/app', { name: 'x'.repeat(70_000) });
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('payload_too_large');
    const deep = await api(
      server,
      'POST',
      '/api/v1/app',
      `{"name":"x","metadata":${'['.repeat(100)}${']'.repeat(100)}}`,
    );
    expect(deep.status).toBe(400);
    expect(deep.body).toEqual({ code: 'invalid_json', detail: expect.stringContaining('deeper') });
    const headers = await api(server, 'GET', '/api/v1/app', undefined, { 'x-big': 'y'.repeat(40_000) });
    expect(headers.status).toBe(431);
    expect(headers.body.code).toBe('header_too_large');
  });

  it('drops a client that sends its headers too slowly (slowloris)', async () => {
    const url = new URL(server.url);
    const socket = net.connect(Number(url.port), url.hostname);
    await new Promise((r) => socket.once('connect', r));
    socket.write('GET /api/v1/health HTTP/1.1\r\nHost: x\r\n');
    const started = Date.now();
    const timer = setInterval(() => socket.writable && socket.write('X-Slow: 1\r\n'), 200);
    let answer = '';
    socket.on('data', (d) => {
      answer += d.toString();
    });
    await new Promise((r) => socket.once('close', r));
    clearInterval(timer);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });
});
