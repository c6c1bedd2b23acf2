import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import {
  expressWebhook,
  fastifyWebhook,
  nextWebhook,
  nodeWebhook,
  signWebhook,
  type VerifiedWebhook,
} from '../../src/sdk/index.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
// Whitespace and key order a re-serializing JSON parser would change: the adapters must verify the raw bytes.
const BODY = '{ "type": "invoice.paid",  "b": 2, "a": 1 }';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise<void>((r) => server.close(() => r())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
}

const post = (url: string, headers: Record<string, string>, body = BODY) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('receiver adapters', () => {
  it('nodeWebhook: plain node:http server', async () => {
    const url = await listen(
      createServer(
        nodeWebhook(SECRET, (event, _req, res) => {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ id: event.id, payload: event.payload }));
        }),
      ),
    );
    const ok = await post(url, signWebhook(SECRET, 'msg_1', BODY));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ id: 'msg_1', payload: { type: 'invoice.paid', b: 2, a: 1 } });
    const bad = await post(url, signWebhook(SECRET, 'msg_1', BODY), BODY.replace('2', '3'));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ code: 'invalid_signature', detail: 'No matching signature found' });
  });

  it('expressWebhook: connect-style middleware on node:http (reads the stream, or a Buffer from express.raw)', async () => {
    const mw = expressWebhook(SECRET);
    const url = await listen(
      createServer((req, res) => {
        const r = req as typeof req & { body?: unknown; webhook?: VerifiedWebhook<unknown> };
        if (req.headers['x-pre-read']) {
          // What express.raw() leaves: the body already read into a Buffer.
          const chunks: Buffer[] = [];
          req.on('data', (c: Buffer) => chunks.push(c));
          req.on('end', () => {
            r.body = Buffer.concat(chunks);
            void mw(r, res, () => res.end(JSON.stringify({ id: r.webhook?.id, body: r.body })));
          });
          return;
        }
        void mw(r, res, () => res.end(JSON.stringify({ id: r.webhook?.id, body: r.body })));
      }),
    );
    for (const extra of [{}, { 'x-pre-read': '1' }] as Array<Record<string, string>>) {
      const ok = await post(url, { ...signWebhook(SECRET, 'msg_2', BODY), ...extra });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ id: 'msg_2', body: { type: 'invoice.paid', b: 2, a: 1 } });
      const bad = await post(url, {
        ...signWebhook('whsec_dGhpcyBpcyBhbm90aGVyIHNlY3JldCBrZXkgISE=', 'msg_2', BODY),
        ...extra,
      });
      expect(bad.status).toBe(400);
    }
  });

  it('fastifyWebhook: raw-body parser scoped to the webhook routes', async () => {
    const app = Fastify();
    closers.push(() => app.close());
    app.register(async (scope) => {
      await scope.register(fastifyWebhook(SECRET));
      scope.post('/webhooks', async (request) => ({ id: request.webhook?.id, body: request.body }));
    });
    // Outside the scope JSON is parsed as usual.
    app.post('/other', async (request) => ({ body: request.body }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const ok = await post(`${base}/webhooks`, signWebhook(SECRET, 'msg_3', BODY));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ id: 'msg_3', body: { type: 'invoice.paid', b: 2, a: 1 } });
    const bad = await post(`${base}/webhooks`, signWebhook(SECRET, 'msg_3', BODY), `${BODY} `);
    expect(bad.status).toBe(400);
    const other = await post(`${base}/other`, {});
    expect(await other.json()).toEqual({ body: { type: 'invoice.paid', b: 2, a: 1 } });
  });

  it('nextWebhook: fetch-style route handler (await req.text())', async () => {
    const POST = nextWebhook(SECRET, async (event) => Response.json({ id: event.id, payload: event.payload }));
    const req = (headers: Record<string, string>, body = BODY) =>
      new Request('http://localhost/api/webhooks', { method: 'POST', headers, body });
    const ok = await POST(req(signWebhook(SECRET, 'msg_4', BODY)));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ id: 'msg_4', payload: { type: 'invoice.paid', b: 2, a: 1 } });
    const bad = await POST(req(signWebhook(SECRET, 'msg_4', BODY), '{}'));
    expect(bad.status).toBe(400);
  });
});
