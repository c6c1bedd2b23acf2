import { once } from 'node:events';
import net, { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSender, type Sender } from '../../src/delivery/sender.js';
import { api, startTestServer, waitFor } from '../helpers/server.js';

/**
 * Receivers that misbehave at the TCP level, played by raw sockets: each
 * must be cut off by the endpoint timeout or the response cap, with the
 * right error kind, and a send must never outlive its timeout by much.
 */

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A raw TCP server: `onSocket` writes whatever it likes, whenever it likes. */
async function rawServer(onSocket: (s: net.Socket) => void): Promise<number> {
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
    onSocket(s);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(async () => {
    for (const t of timers) clearInterval(t);
    for (const s of sockets) s.destroy();
    server.close();
    await once(server, 'close');
  });
  return (server.address() as AddressInfo).port;
}

/** Writes `chunks` one every `everyMs` until the socket closes (or forever, if `chunks` is endless). */
function trickle(s: net.Socket, chunks: Iterator<string | Buffer>, everyMs: number): void {
  const timer = setInterval(() => {
    const next = chunks.next();
    if (next.done || s.destroyed) {
      clearInterval(timer);
      return;
    }
    s.write(next.value);
  }, everyMs);
  s.on('close', () => clearInterval(timer));
}

function* bytes(text: string): Generator<string> {
  for (const ch of text) yield ch;
}

function* forever(chunk: Buffer): Generator<Buffer> {
  for (;;) yield chunk;
}

function sender(maxResponseBytes?: number): Sender {
  const s = createSender({
    allowedTargets: ['127.0.0.0/8'],
    userAgent: 'Hookway/0.1',
    ...(maxResponseBytes !== undefined && { maxResponseBytes }),
  });
  cleanups.push(() => s.close());
  return s;
}

const send = (s: Sender, url: string, timeoutMs: number) => s.send({ url, headers: {}, body: '{}', timeoutMs });

describe('receivers that misbehave at the TCP level', () => {
  it('slowloris status line and headers, a byte a second: timeout at the endpoint timeout', async () => {
    const port = await rawServer((s) => {
      s.once('data', () => trickle(s, bytes('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok'), 1_000));
    });
    const r = await send(sender(), `http://127.0.0.1:${port}/`, 1_500);
    expect(r).toMatchObject({ statusCode: 0, errorKind: 'timeout' });
    expect(r.durationMs).toBeGreaterThanOrEqual(1_400);
    expect(r.durationMs).toBeLessThan(2_500);
  });

  it('a 2xx whose body trickles a byte a second: a success, cut at the timeout, and it says so', async () => {
    const port = await rawServer((s) => {
      s.once('data', () => {
        s.write('HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n');
        trickle(s, bytes('x'.repeat(1000)), 300);
      });
    });
    const r = await send(sender(), `http://127.0.0.1:${port}/`, 1_500);
    expect(r).toMatchObject({ statusCode: 200, errorKind: null });
    expect(r.body.length).toBeGreaterThan(0);
    expect(r.body.length).toBeLessThan(10);
    expect(r.errorDetail).toMatch(/^response body cut after \d+ bytes: /);
    expect(r.durationMs).toBeLessThan(2_500);
  });

  it('a 500 whose body trickles: http_error, bounded by the timeout', async () => {
    const port = await rawServer((s) => {
      s.once('data', () => {
        s.write('HTTP/1.1 500 Internal Server Error\r\ntransfer-encoding: chunked\r\n\r\n');
        trickle(s, forever(Buffer.from('1\r\nx\r\n')), 200);
      });
    });
    const r = await send(sender(), `http://127.0.0.1:${port}/`, 1_000);
    expect(r).toMatchObject({ statusCode: 500, errorKind: 'http_error' });
    expect(r.errorDetail).toMatch(/^HTTP 500; response body cut after \d+ bytes: /);
    expect(r.durationMs).toBeLessThan(2_000);
  });

  it('an endless 2xx body: read up to the cap, then the connection is dropped; a success that says it was cut', async () => {
    let written = 0;
    const port = await rawServer((s) => {
      s.once('data', () => {
        s.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n');
        const chunk = Buffer.from(`4000\r\n${'y'.repeat(0x4000)}\r\n`);
        const pump = () => {
          while (!s.destroyed && s.write(chunk)) written += 0x4000;
        };
        s.on('drain', pump);
        pump();
      });
    });
    const r = await send(sender(50_000), `http://127.0.0.1:${port}/`, 5_000);
    expect(r).toMatchObject({ statusCode: 200, errorKind: null, errorDetail: 'response body cut at 50000 bytes' });
    expect(r.body).toHaveLength(50_000);
    // Cut at the cap, not at the timeout: the endless body is not read to the end.
    expect(r.durationMs).toBeLessThan(2_000);
    const before = written;
    await new Promise((res) => setTimeout(res, 300));
    expect(written - before).toBeLessThan(1_000_000);
  });

  it('an endless body with a non-2xx status: http_error, the body cut at the cap', async () => {
    const port = await rawServer((s) => {
      s.once('data', () => {
        s.write('HTTP/1.1 503 Service Unavailable\r\ntransfer-encoding: chunked\r\n\r\n');
        trickle(s, forever(Buffer.from(`400\r\n${'z'.repeat(0x400)}\r\n`)), 1);
      });
    });
    const r = await send(sender(5_000), `http://127.0.0.1:${port}/`, 5_000);
    expect(r).toMatchObject({ statusCode: 503, errorKind: 'http_error' });
    expect(r.body).toHaveLength(5_000);
    expect(r.errorDetail).toBe('HTTP 503; response body cut at 5000 bytes');
  });

  it('a TLS handshake that never finishes: timeout at the endpoint timeout', async () => {
    let helloBytes = 0;
    const port = await rawServer((s) => {
      // Reads the ClientHello and never answers it.
      s.on('data', (d: Buffer) => {
        helloBytes += d.length;
      });
    });
    const r = await send(sender(), `https://127.0.0.1:${port}/`, 1_000);
    expect(helloBytes).toBeGreaterThan(0);
    expect(r).toMatchObject({ statusCode: 0, errorKind: 'timeout' });
    expect(r.durationMs).toBeGreaterThanOrEqual(900);
    expect(r.durationMs).toBeLessThan(2_000);
  });

  it('a TLS handshake trickled a byte a second: timeout at the endpoint timeout', async () => {
    const port = await rawServer((s) => {
      // The header of a 16 KiB handshake record (a ServerHello to be), then its body a byte a second.
      s.once('data', () => {
        s.write(Buffer.from([0x16, 0x03, 0x03, 0x40, 0x00]));
        trickle(s, forever(Buffer.from([0x02])), 1_000);
      });
    });
    const r = await send(sender(), `https://127.0.0.1:${port}/`, 1_200);
    expect(r).toMatchObject({ statusCode: 0, errorKind: 'timeout' });
    expect(r.durationMs).toBeLessThan(2_200);
  });
});

describe('a cut response through the engine', () => {
  it('a 2xx with an endless body is stored as a success whose response says it was cut, and not sent again', async () => {
    let requests = 0;
    const port = await rawServer((s) => {
      s.once('data', () => {
        requests++;
        s.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n');
        trickle(s, forever(Buffer.from(`400\r\n${'e'.repeat(0x400)}\r\n`)), 1);
      });
    });
    const server = await startTestServer();
    cleanups.push(() => server.close());
    const app = (await api(server, 'POST', '/api/v1/app', { name: 'cut' })).body;
    await api(server, 'POST', `/api/v1/app/${app.id}/endpoint`, { url: `http://127.0.0.1:${port}/`, timeoutMs: 5_000 });
    const msg = (await api(server, 'POST', `/api/v1/app/${app.id}/msg`, { eventType: 'a.b', payload: {} })).body;
    const [a] = await waitFor(async () => {
      const l = (await api(server, 'GET', `/api/v1/app/${app.id}/attempt/msg/${msg.id}`)).body.data as any[];
      return l.length === 1 ? l : null;
    });
    expect(a).toMatchObject({ status: 0, responseStatusCode: 200, errorKind: null });
    expect(a.errorDetail).toBe('response body cut at 20000 bytes');
    expect(a.response).toHaveLength(20_000);
    expect(a.responseDurationMs).toBeLessThan(5_000);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(requests).toBe(1);
  });
});
