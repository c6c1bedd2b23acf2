import OpenAI from 'openai';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { ApiException, MessageStatus, Svix, Webhook as SvixWebhook } from 'svix';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Receiver } from '../helpers/receiver.js';
import { startTestServer, type TestServer, waitFor } from '../helpers/server.js';

/**
 * The promise: the official svix@1 client drives Hookway unchanged,
 * and what Hookway sends verifies with standardwebhooks, svix and openai@6.
 */
describe.each(['sqlite', 'postgres'])('svix@1 client against Hookway on %s', (db) => {
  let server: TestServer;
  let receiver: Receiver;
  let svix: Svix;

  beforeAll(async () => {
    server = await startTestServer({}, { HOOKWAY_TEST_DB: db });
    receiver = await Receiver.start();
    svix = new Svix(server.token, { serverUrl: server.url });
  });
  afterAll(async () => {
    await receiver.close();
    await server.close();
  });

  it('creates app, event type, endpoint; delivers 100 verifiable messages; lists attempts', async () => {
    const app = await svix.application.create({ name: 'Acme', uid: 'acme' });
    expect(app.id).toMatch(/^app_/);
    expect((await svix.application.get('acme')).id).toBe(app.id);
    const again = await svix.application.getOrCreate({ name: 'Acme', uid: 'acme' });
    expect(again.id).toBe(app.id);

    await svix.eventType.create({ name: 'invoice.paid', description: 'An invoice was paid' });
    const ep = await svix.endpoint.create(app.id, { url: receiver.url, filterTypes: ['invoice.*'], uid: 'main' });
    expect(ep.id).toMatch(/^ep_/);
    const { key: secret } = await svix.endpoint.getSecret(app.id, 'main');
    expect(secret).toMatch(/^whsec_/);

    const ids: string[] = [];
    for (let i = 0; i < 100; i++) {
      const msg = await svix.message.create(app.id, {
        eventType: 'invoice.paid',
        eventId: `evt-${i}`,
        payload: { type: 'invoice.paid', id: `evt-${i}`, amount: i },
      });
      ids.push(msg.id);
    }
    await waitFor(() => receiver.received.length >= 100, 30_000);

    const openai = new OpenAI({ apiKey: 'unused', webhookSecret: secret });
    const std = new StandardWebhook(secret);
    const svixWh = new SvixWebhook(secret);
    const seen = new Set<string>();
    for (const req of receiver.received) {
      expect(req.headers['content-type']).toBe('application/json');
      expect(req.headers['user-agent']).toMatch(/^Hookway\//);
      const a = std.verify(req.body, req.headers) as { id: string };
      const b = svixWh.verify(req.body, req.headers) as { id: string };
      const c = await openai.webhooks.unwrap(req.body, req.headers, secret);
      expect(b).toEqual(a);
      expect((c as unknown as { id: string }).id).toBe(a.id);
      seen.add(req.headers['webhook-id'] ?? '');
    }
    expect([...seen].sort()).toEqual([...ids].sort());

    // Attempts are recorded after the response; wait until all 100 show as success.
    const attempts = await waitFor(async () => {
      const list = await svix.messageAttempt.listByEndpoint(app.id, ep.id, { limit: 250 });
      return list.data.length === 100 ? list : null;
    });
    expect(attempts.data.every((a) => a.status === MessageStatus.Success && a.responseStatusCode === 200)).toBe(true);

    const byMsg = await svix.messageAttempt.listByMsg(app.id, ids[0] ?? '');
    expect(byMsg.data).toHaveLength(1);
    const one = await svix.messageAttempt.get(app.id, ids[0] ?? '', byMsg.data[0]?.id ?? '');
    expect(one.msgId).toBe(ids[0]);
    const destinations = await svix.messageAttempt.listAttemptedDestinations(app.id, ids[0] ?? '');
    expect(destinations.data[0]?.id).toBe(ep.id);
  });

  it('answers 409 to a duplicate eventId and pages messages', async () => {
    const app = await svix.application.create({ name: 'Dup' });
    await svix.message.create(app.id, { eventType: 'user.created', eventId: 'same', payload: { a: 1 } });
    const err = await svix.message
      .create(app.id, { eventType: 'user.created', eventId: 'same', payload: { a: 2 } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiException);
    expect((err as ApiException<unknown>).code).toBe(409);

    for (let i = 0; i < 4; i++) await svix.message.create(app.id, { eventType: 'user.created', payload: { i } });
    const first = await svix.message.list(app.id, { limit: 3 });
    expect(first.data).toHaveLength(3);
    expect(first.done).toBe(false);
    const second = await svix.message.list(app.id, { limit: 3, iterator: first.iterator ?? undefined });
    expect(second.data).toHaveLength(2);
    expect(second.done).toBe(true);
    const all = new Set([...first.data, ...second.data].map((m) => m.id));
    expect(all.size).toBe(5);
    const got = await svix.message.get(app.id, first.data[0]?.id ?? '');
    expect(got.payload).toEqual(first.data[0]?.payload);
  });

  it('refuses a wrong token with 401 and an unknown app with 404', async () => {
    const bad = new Svix('hw_wrong', { serverUrl: server.url });
    const e1 = await bad.application.list().catch((e: unknown) => e);
    expect((e1 as ApiException<unknown>).code).toBe(401);
    const e2 = await svix.application.get('app_doesnotexist').catch((e: unknown) => e);
    expect((e2 as ApiException<unknown>).code).toBe(404);
  });

  it('manages endpoint headers, patch, and event type schemas (422 on mismatch)', async () => {
    const app = await svix.application.create({ name: 'Schemas' });
    await svix.eventType.create({
      name: 'order.created',
      description: 'An order',
      schemas: { '1': { type: 'object', required: ['orderId'], properties: { orderId: { type: 'string' } } } },
    });
    const ok = await svix.message.create(app.id, { eventType: 'order.created', payload: { orderId: 'o1' } });
    expect(ok.id).toMatch(/^msg_/);
    const err = await svix.message
      .create(app.id, { eventType: 'order.created', payload: { orderId: 5 } })
      .catch((e: unknown) => e);
    expect((err as ApiException<unknown>).code).toBe(422);

    const ep = await svix.endpoint.create(app.id, { url: receiver.url });
    await svix.endpoint.updateHeaders(app.id, ep.id, { headers: { 'x-team': 'billing' } });
    expect((await svix.endpoint.getHeaders(app.id, ep.id)).headers).toEqual({ 'x-team': 'billing' });
    const patched = await svix.endpoint.patch(app.id, ep.id, { description: 'patched', disabled: true });
    expect(patched.description).toBe('patched');
    expect(patched.disabled).toBe(true);
    expect(patched.url).toBe(receiver.url);
  });
});
