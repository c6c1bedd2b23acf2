import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { createSource, ingest, nowSec, providerCases } from './gateway-helpers.js';

/**
 * Every provider through the real route: a request signed by the provider's
 * own library (or documented recipe) is stored and answered 200; tampered
 * body, wrong secret, stale timestamp and missing header each answer 401
 * `invalid_signature` and are recorded as rejections, never as events.
 */
describe('POST /in/{source}: verification per provider', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  for (const c of providerCases()) {
    describe(c.type, () => {
      let sourceId: string;
      let wrongId: string;

      beforeAll(async () => {
        sourceId = (await createSource(server, { name: c.type, type: c.type, config: c.config })).id;
        wrongId = (await createSource(server, { name: `${c.type}-wrong`, type: c.type, config: c.wrongConfig })).id;
      });

      it('accepts a signed request, stores the raw body, and answers after the commit', async () => {
        const body = c.body(1);
        const headers = await c.sign(body, { ts: nowSec(), id: `id-${c.type}-1` });
        const res = await ingest(server, sourceId, body, headers);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body).toMatchObject({ success: true, event_type: c.eventType });
        expect(res.body.event_id).toMatch(/^evt_/);
        expect(res.body.duplicate).toBeUndefined();

        const stored = await api(server, 'GET', `/ingest/api/v1/source/${sourceId}/event/${res.body.event_id}`);
        expect(stored.status).toBe(200);
        expect(stored.body.body).toBe(body);
        expect(Buffer.from(stored.body.bodyBase64, 'base64').toString()).toBe(body);
        expect(stored.body.eventType).toBe(c.eventType);
        // No endpoint subscribes yet: stored, not lost, and says so.
        expect(stored.body.status).toBe('unhandled');
      });

      it('refuses a tampered body', async () => {
        const body = c.body(2);
        const headers = await c.sign(body, { ts: nowSec(), id: `id-${c.type}-2` });
        const res = await ingest(server, sourceId, body.replace('2', '3'), headers);
        expect(res.status).toBe(401);
        expect(res.body).toMatchObject({ code: 'invalid_signature' });
        expect(res.body.detail).toEqual(expect.any(String));
      });

      it('refuses the right request checked against another secret', async () => {
        const body = c.body(4);
        const res = await ingest(server, wrongId, body, await c.sign(body, { ts: nowSec(), id: `id-${c.type}-4` }));
        expect(res.status).toBe(401);
        expect(res.body.code).toBe('invalid_signature');
      });

      // Providers that sign a timestamp refuse an old one; the others (GitHub, Shopify) have
      // none to check, so the case is not generated for them: their replays are duplicates.
      if (c.stale) {
        it('refuses a stale timestamp', async () => {
          const body = c.body(5);
          const res = await ingest(
            server,
            sourceId,
            body,
            await c.sign(body, { ts: nowSec() - 3600, id: `id-${c.type}-5` }),
          );
          expect(res.status).toBe(401);
          expect(res.body.detail).toMatch(/timestamp|signature/);
        });
      } else {
        it('has no timestamp to check: a replay of a stored request is a duplicate, not a new event', async () => {
          const body = c.body(1);
          const res = await ingest(
            server,
            sourceId,
            body,
            await c.sign(body, { ts: nowSec() - 30 * 86_400, id: `id-${c.type}-1` }),
          );
          expect(res.status).toBe(200);
          expect(res.body).toMatchObject({ success: true, duplicate: true, event_type: c.eventType });
        });
      }

      it('refuses a request missing a required header', async () => {
        const body = c.body(6);
        const headers = await c.sign(body, { ts: nowSec(), id: `id-${c.type}-6` });
        for (const name of c.required) {
          const copy = { ...headers };
          delete copy[name];
          const res = await ingest(server, sourceId, body, copy);
          expect(res.status, name).toBe(401);
          expect(res.body.code).toBe('invalid_signature');
        }
      });

      it('records each refusal with its reason, and no refused request as an event', async () => {
        const rejected = await api(server, 'GET', `/ingest/api/v1/source/${sourceId}/rejected?limit=250`);
        expect(rejected.status).toBe(200);
        expect(rejected.body.data.length).toBe(1 + (c.stale ? 1 : 0) + c.required.length);
        expect(rejected.body.data.every((r: { reason: string }) => r.reason.length > 0)).toBe(true);
        const events = await api(server, 'GET', `/ingest/api/v1/source/${sourceId}/event`);
        expect(events.body.data).toHaveLength(1);
      });
    });
  }

  it('answers protocol handshakes as the provider requires (Slack challenge, Discord PING)', async () => {
    const [slack] = providerCases().filter((c) => c.type === 'slack');
    const [discord] = providerCases().filter((c) => c.type === 'discord');
    if (!slack || !discord) throw new Error('cases missing');
    const s = await createSource(server, { name: 'slack-hs', type: 'slack', config: slack.config });
    const challenge = JSON.stringify({ type: 'url_verification', challenge: 'c-123', token: 'x' });
    const a = await ingest(server, s.id, challenge, await slack.sign(challenge, { ts: nowSec(), id: 'x' }));
    expect(a).toEqual({ status: 200, body: { challenge: 'c-123' } });

    const d = await createSource(server, { name: 'discord-hs', type: 'discord', config: discord.config });
    const ping = JSON.stringify({ id: '1', application_id: '9', type: 1, token: 'tok', version: 1 });
    const b = await ingest(server, d.id, ping, await discord.sign(ping, { ts: nowSec(), id: 'x' }));
    expect(b).toEqual({ status: 200, body: { type: 1 } });
    const events = await api(server, 'GET', `/ingest/api/v1/source/${d.id}/event`);
    expect(events.body.data).toHaveLength(0);
  });

  it('refuses a body over the source limit with 413 {code, detail}, declared or streamed', async () => {
    const s = await createSource(server, { name: 'small', type: 'generic-webhook', config: {}, bodyLimit: 2048 });
    const big = 'x'.repeat(4096);
    const res = await ingest(server, s.id, big, { 'content-type': 'text/plain' });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'payload_too_large', detail: expect.stringContaining('2048') });

    // Chunked, with no Content-Length: cut off while streaming.
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(new TextEncoder().encode('y'.repeat(1024)));
        controller.close();
      },
    });
    const chunked = await fetch(`${server.url}/in/${s.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);

    const ok = await ingest(server, s.id, 'y'.repeat(2000), { 'content-type': 'text/plain' });
    expect(ok.status).toBe(200);
    // The default limit is 1 MiB.
    const d = await createSource(server, { name: 'default', type: 'generic-webhook', config: {} });
    expect(d.bodyLimit).toBe(1024 * 1024);
    expect((await ingest(server, d.id, Buffer.alloc(1024 * 1024 + 1, 97), {})).status).toBe(413);
  });

  it('stores any content type as raw bytes and forwards non-JSON as {raw, contentType}', async () => {
    const s = await createSource(server, { name: 'raw', type: 'generic-webhook', config: {} });
    const bytes = Buffer.from([0, 1, 2, 255, 254, 10]);
    const res = await ingest(server, s.id, bytes, { 'content-type': 'application/octet-stream' });
    expect(res.status).toBe(200);
    const ev = await api(server, 'GET', `/ingest/api/v1/source/${s.id}/event/${res.body.event_id}`);
    expect(Buffer.from(ev.body.bodyBase64, 'base64').equals(bytes)).toBe(true);
    const none = await ingest(server, s.id, 'a=1&b=2', {});
    expect(none.status).toBe(200);
    expect(none.body.event_type).toBe('unknown');
  });

  it('answers 404 for an unknown source and accepts the uid in the path', async () => {
    expect((await ingest(server, 'src_nope', '{}', { 'content-type': 'application/json' })).status).toBe(404);
    await createSource(server, { name: 'by-uid', uid: 'my-generic', type: 'generic-webhook', config: {} });
    expect((await ingest(server, 'my-generic', '{}', { 'content-type': 'application/json' })).status).toBe(200);
  });

  it('redacts credentials in stored headers but keeps signatures', async () => {
    const s = await createSource(server, {
      name: 'keyed',
      type: 'api-key',
      config: { key: 'k-123456', header: 'X-Hook-Key' },
    });
    const res = await ingest(server, s.id, '{"type":"a.b"}', {
      'content-type': 'application/json',
      'x-hook-key': 'k-123456',
      cookie: 'session=abc',
      authorization: 'Bearer zzz',
      'x-signature': 'sha256=abc',
    });
    expect(res.status).toBe(200);
    const ev = await api(server, 'GET', `/ingest/api/v1/source/${s.id}/event/${res.body.event_id}`);
    expect(ev.body.headers).toMatchObject({
      'x-hook-key': '[redacted]',
      cookie: '[redacted]',
      authorization: '[redacted]',
      'x-signature': 'sha256=abc',
    });
    const bad = await ingest(server, s.id, '{}', { 'x-hook-key': 'wrong', 'content-type': 'application/json' });
    expect(bad.status).toBe(401);
    const rejected = await api(server, 'GET', `/ingest/api/v1/source/${s.id}/rejected`);
    expect(rejected.body.data[0].headers['x-hook-key']).toBe('[redacted]');
  });
});
