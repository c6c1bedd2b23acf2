import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/keys.js';
import { Receiver } from '../helpers/receiver.js';
import { api, startTestServer, type TestServer, waitFor } from '../helpers/server.js';
import { createSource, ingest, nowSec, providerCases } from './gateway-helpers.js';

/**
 * Forwarding runs on the outbound engine: a verified event becomes a message
 * in the source's application, re-signed in Standard Webhooks format, retried
 * on the same schedule, with the same attempt log. Dedupe is per source, on
 * the provider's idempotency key, enforced by the database.
 */
describe('inbound forwarding', () => {
  let server: TestServer;
  const github = () => {
    const c = providerCases().find((p) => p.type === 'github');
    if (!c) throw new Error('no github case');
    return c;
  };

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  async function endpoint(sourceId: string, body: Record<string, unknown>) {
    const res = await api(server, 'POST', `/ingest/api/v1/source/${sourceId}/endpoint`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const secret = await api(server, 'GET', `/ingest/api/v1/source/${sourceId}/endpoint/${res.body.id}/secret`);
    return { ...res.body, secret: secret.body.key as string };
  }

  it('forwards a verified event to a receiver that verifies it with standardwebhooks', async () => {
    const receiver = await Receiver.start();
    try {
      const c = github();
      const source = await createSource(server, { name: 'gh', type: 'github', config: c.config });
      const ep = await endpoint(source.id, { url: receiver.url, filterTypes: ['pull_request.*'] });
      const body = c.body(1);
      const res = await ingest(server, source.id, body, await c.sign(body, { ts: nowSec(), id: 'delivery-1' }));
      expect(res.status).toBe(200);

      await waitFor(() => receiver.received.length >= 1);
      const got = receiver.received[0];
      if (!got) throw new Error('nothing received');
      const verified = new StandardWebhook(ep.secret).verify(got.body, got.headers);
      expect(verified).toEqual(JSON.parse(body));
      expect(got.body).toBe(body);
      expect(got.headers['webhook-id']).toMatch(/^msg_/);

      const event = await waitFor(async () => {
        const r = await api(server, 'GET', `/ingest/api/v1/source/${source.id}/event/${res.body.event_id}`);
        return r.body.status === 'processed' ? r.body : null;
      });
      expect(event).toMatchObject({
        attempts: 1,
        error: null,
        eventId: 'delivery-1',
        eventType: 'pull_request.opened',
      });
      // The message is an ordinary message of the source's application.
      const msg = await api(server, 'GET', `/api/v1/app/${source.appId}/msg/${event.msgId}`);
      expect(msg.body).toMatchObject({ eventType: 'pull_request.opened', eventId: res.body.event_id });
    } finally {
      await receiver.close();
    }
  });

  it('hands the forwarding deliveries to this node after the commit, not through claims; a duplicate hands nothing', async () => {
    const receiver = await Receiver.start();
    const dispatcher = server.hw.dispatcher;
    if (!dispatcher) throw new Error('no dispatcher');
    const accept = dispatcher.accept;
    const handed: string[] = [];
    dispatcher.accept = (c) => {
      handed.push(c.delivery.id);
      accept(c);
    };
    try {
      const c = github();
      const source = await createSource(server, { name: 'gh-handoff', type: 'github', config: c.config });
      await endpoint(source.id, { url: receiver.url });
      await endpoint(source.id, { url: receiver.url });
      for (let i = 0; i < 5; i++) {
        const body = c.body(100 + i);
        const res = await ingest(server, source.id, body, await c.sign(body, { ts: nowSec(), id: `handoff-${i}` }));
        expect(res.status).toBe(200);
      }
      const again = c.body(100);
      await ingest(server, source.id, again, await c.sign(again, { ts: nowSec(), id: 'handoff-0' }));
      await waitFor(() => receiver.received.length >= 10);
      // Two endpoints x five events, each delivery handed over once: none waited for a claim.
      expect(handed).toHaveLength(10);
      expect(new Set(handed).size).toBe(10);
      expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(5);
    } finally {
      dispatcher.accept = accept;
      await receiver.close();
    }
  });

  it('stores and forwards once when the same delivery is posted 50 times at once', async () => {
    const receiver = await Receiver.start();
    try {
      const c = github();
      const source = await createSource(server, { name: 'gh-dupes', type: 'github', config: c.config });
      await endpoint(source.id, { url: receiver.url });
      const body = c.body(7);
      const headers = await c.sign(body, { ts: nowSec(), id: 'same-delivery' });
      const answers = await Promise.all(Array.from({ length: 50 }, () => ingest(server, source.id, body, headers)));
      expect(answers.every((a) => a.status === 200)).toBe(true);
      const ids = new Set(answers.map((a) => a.body.event_id));
      expect(ids.size).toBe(1);
      expect(answers.filter((a) => a.body.duplicate === true)).toHaveLength(49);

      await waitFor(() => receiver.received.length >= 1);
      await new Promise((r) => setTimeout(r, 500));
      expect(receiver.received).toHaveLength(1);
      const list = await api(server, 'GET', `/ingest/api/v1/source/${source.id}/event`);
      expect(list.body.data).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it('retries a failing receiver on the engine schedule; the event shows the attempts and the error', async () => {
    const receiver = await Receiver.start(() => ({ status: 500, body: 'down' }));
    try {
      const source = await createSource(server, { name: 'failing', type: 'generic-webhook', config: {} });
      await endpoint(source.id, { url: receiver.url });
      const res = await ingest(server, source.id, '{"type":"job.done"}', { 'content-type': 'application/json' });
      expect(res.status).toBe(200);
      // HOOKWAY_RETRY_SCHEDULE=1,1,1 in tests: four attempts, then failed.
      const event = await waitFor(async () => {
        const r = await api(server, 'GET', `/ingest/api/v1/source/${source.id}/event/${res.body.event_id}`);
        return r.body.status === 'error' ? r.body : null;
      }, 30_000);
      expect(receiver.received).toHaveLength(4);
      expect(event.attempts).toBe(4);
      expect(event.error).toMatch(/failed after 4 attempts/);
      const attempts = await api(server, 'GET', `/api/v1/app/${source.appId}/attempt/msg/${event.msgId}`);
      expect(attempts.body.data).toHaveLength(4);
      expect(attempts.body.data.every((a: { responseStatusCode: number }) => a.responseStatusCode === 500)).toBe(true);
      const ids = new Set(receiver.received.map((r) => r.headers['webhook-id']));
      expect(ids.size).toBe(1);

      // Bulk reprocess of error events once the receiver is back.
      receiver.script = () => ({ status: 200 });
      const bulk = await api(server, 'POST', `/ingest/api/v1/source/${source.id}/reprocess`, { status: 'error' });
      expect(bulk.status).toBe(202);
      expect(bulk.body.reprocessed).toBe(1);
      await waitFor(async () => {
        const r = await api(server, 'GET', `/ingest/api/v1/source/${source.id}/event/${res.body.event_id}`);
        return r.body.status === 'processed' ? r.body : null;
      });
      expect(receiver.received).toHaveLength(5);
    } finally {
      await receiver.close();
    }
  }, 40_000);

  it('keeps unmatched events as unhandled, and reprocess forwards them once an endpoint wants them', async () => {
    const receiver = await Receiver.start();
    try {
      const c = github();
      const source = await createSource(server, { name: 'gh-filter', type: 'github', config: c.config });
      await endpoint(source.id, { url: receiver.url, filterTypes: ['issues.*'] });
      const body = c.body(9);
      const res = await ingest(server, source.id, body, await c.sign(body, { ts: nowSec(), id: 'd-9' }));
      const first = await api(server, 'GET', `/ingest/api/v1/source/${source.id}/event/${res.body.event_id}`);
      expect(first.body.status).toBe('unhandled');

      await endpoint(source.id, { url: receiver.url, filterTypes: ['pull_request.opened'] });
      const again = await api(
        server,
        'POST',
        `/ingest/api/v1/source/${source.id}/event/${res.body.event_id}/reprocess`,
      );
      expect(again.status).toBe(202);
      expect(again.body.status).toBe('forwarded');
      await waitFor(() => receiver.received.length === 1);
      await waitFor(async () => {
        const r = await api(server, 'GET', `/ingest/api/v1/source/${source.id}/event/${res.body.event_id}`);
        return r.body.status === 'processed';
      });
    } finally {
      await receiver.close();
    }
  });

  it('forwards into an outbound application as well (forwardToApp)', async () => {
    const receiver = await Receiver.start();
    try {
      const out = await api(server, 'POST', '/api/v1/app', { name: 'Billing', uid: 'billing' });
      await api(server, 'POST', `/api/v1/app/${out.body.id}/endpoint`, {
        url: receiver.url,
        filterTypes: ['invoice.*'],
      });
      const stripe = providerCases().find((p) => p.type === 'stripe');
      if (!stripe) throw new Error('no stripe case');
      const source = await createSource(server, {
        name: 'stripe',
        type: 'stripe',
        config: stripe.config,
        forwardToApp: 'billing',
      });
      expect(source.forwardToApp).toBe(out.body.id);
      const body = stripe.body(1);
      const res = await ingest(server, source.id, body, await stripe.sign(body, { ts: nowSec(), id: 'x' }));
      expect(res.status).toBe(200);
      await waitFor(() => receiver.received.length === 1);
      const msgs = await api(server, 'GET', `/api/v1/app/billing/msg`);
      expect(msgs.body.data[0]).toMatchObject({ eventType: 'invoice.paid', eventId: res.body.event_id });
      const ev = await waitFor(async () => {
        const r = await api(server, 'GET', `/ingest/api/v1/source/${source.id}/event/${res.body.event_id}`);
        return r.body.status === 'processed' ? r.body : null;
      });
      expect(ev.forwardMsgId).toBe(msgs.body.data[0].id);
    } finally {
      await receiver.close();
    }
  });

  it('lists events with type/status filters, limit, offset and iterator; answers stats', async () => {
    const source = await createSource(server, { name: 'many', type: 'generic-webhook', config: { idHeader: 'x-id' } });
    for (let i = 0; i < 7; i++) {
      const type = i % 2 === 0 ? 'a.even' : 'a.odd';
      await ingest(server, source.id, JSON.stringify({ type, i }), {
        'content-type': 'application/json',
        'x-id': `k${i}`,
      });
    }
    const base = `/ingest/api/v1/source/${source.id}`;
    const all = await api(server, 'GET', `${base}/event`);
    expect(all.body.data).toHaveLength(7);
    expect(all.body.limit).toBe(100);
    expect(all.body.data[0].eventId).toBe('k6'); // newest first
    expect((await api(server, 'GET', `${base}/event?type=a.even`)).body.data).toHaveLength(4);
    expect((await api(server, 'GET', `${base}/event?status=unhandled`)).body.data).toHaveLength(7);
    expect((await api(server, 'GET', `${base}/event?status=processed`)).body.data).toHaveLength(0);
    expect((await api(server, 'GET', `${base}/event?status=bogus`)).status).toBe(422);
    expect((await api(server, 'GET', `${base}/event?limit=501`)).status).toBe(422);
    const p1 = await api(server, 'GET', `${base}/event?limit=3`);
    const p2 = await api(server, 'GET', `${base}/event?limit=3&iterator=${p1.body.iterator}`);
    const off = await api(server, 'GET', `${base}/event?limit=3&offset=3`);
    expect(p2.body.data.map((e: { id: string }) => e.id)).toEqual(off.body.data.map((e: { id: string }) => e.id));
    expect(p1.body.done).toBe(false);

    const stats = await api(server, 'GET', `${base}/stats`);
    expect(stats.body).toEqual({
      events_by_type: { 'a.even': 4, 'a.odd': 3 },
      events_by_status: { unhandled: 7 },
      recent_events_24h: 7,
      total_events: 7,
    });
  });

  it('lets a key scoped ingest:{source_id} read that source only', async () => {
    const mine = await createSource(server, { name: 'mine', type: 'generic-webhook', config: {} });
    const other = await createSource(server, { name: 'other', type: 'generic-webhook', config: {} });
    await ingest(server, mine.id, '{}', { 'content-type': 'application/json' });
    const { token } = await createApiKey(server.hw.store, { name: 'ops', scopes: [`ingest:${mine.id}`] }, Date.now());
    const scoped = { url: server.url, token };
    expect((await api(scoped, 'GET', `/ingest/api/v1/source/${mine.id}/event`)).body.data).toHaveLength(1);
    expect((await api(scoped, 'GET', `/ingest/api/v1/source/${mine.id}/stats`)).status).toBe(200);
    expect((await api(scoped, 'GET', `/ingest/api/v1/source/${other.id}/event`)).status).toBe(404);
    expect((await api(scoped, 'GET', `/ingest/api/v1/source/${other.id}`)).status).toBe(404);
    expect((await api(scoped, 'DELETE', `/ingest/api/v1/source/${mine.id}`)).status).toBe(403);
    expect((await api(scoped, 'POST', '/ingest/api/v1/source', { name: 'x', type: 'generic-webhook' })).status).toBe(
      403,
    );
    const list = await api(scoped, 'GET', '/ingest/api/v1/source');
    expect(list.body.data.map((s: { id: string }) => s.id)).toEqual([mine.id]);
  });
});
