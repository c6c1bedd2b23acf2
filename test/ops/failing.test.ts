import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import type { Received } from '../helpers/receiver.js';
import { api, type TestServer, waitFor } from '../helpers/server.js';
import { createApp, createEndpoint, opsHarness, publish, sleep } from './helpers.js';

const NO_BREAKER = { HOOKWAY_BREAKER_MIN_ATTEMPTS: '100000' };

describe('failing endpoints and operational webhooks', () => {
  const h = opsHarness();
  afterEach(() => h.close());

  async function operator(server: TestServer) {
    const receiver = await h.receiver();
    const key = `whsec_${randomBytes(32).toString('base64')}`;
    const res = await api(server, 'POST', '/api/v1/operational-webhook/endpoint', { url: receiver.url, secret: key });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ url: receiver.url, disabled: false, metadata: {} });
    const events = () =>
      receiver.received.map((r: Received) => new Webhook(key).verify(r.body, r.headers) as { type: string; data: any });
    return { receiver, key, events, id: res.body.id as string };
  }

  it('an always-failing endpoint is disabled after N exhausted messages and endpoint.disabled arrives', async () => {
    const server = await h.server({ ...NO_BREAKER, HOOKWAY_DISABLE_AFTER_EXHAUSTED: '3' });
    const op = await operator(server);
    const dead = await h.receiver(() => ({ status: 500, body: 'down' }));
    const app = await createApp(server);
    const ep = await createEndpoint(server, app.id, { url: dead.url, retrySchedule: [0] });
    await waitFor(() => op.events().some((e) => e.type === 'endpoint.created'));

    await publish(server, app.id);
    await waitFor(
      async () => (await api(server, 'GET', `/api/v1/app/${app.id}/endpoint/${ep.id}`)).body.status === 'failing',
    );
    await publish(server, app.id);
    await publish(server, app.id);

    const disabled = await waitFor(() => op.events().find((e) => e.type === 'endpoint.disabled'), 15_000);
    expect(disabled.data).toMatchObject({ appId: app.id, endpointId: ep.id, trigger: 'automatic' });
    expect(Date.parse(disabled.data.failSince)).toBeGreaterThan(0);
    const out = (await api(server, 'GET', `/api/v1/app/${app.id}/endpoint/${ep.id}`)).body;
    expect(out).toMatchObject({ disabled: true, status: 'disabled' });

    const types = op.events().map((e) => e.type);
    expect(types.filter((t) => t === 'message.attempt.exhausted')).toHaveLength(3);
    // 3 messages x 2 attempts: the 5th consecutive failure notifies once.
    expect(types.filter((t) => t === 'endpoint.failing')).toHaveLength(1);
    const exhausted = op.events().find((e) => e.type === 'message.attempt.exhausted')!;
    expect(exhausted.data).toMatchObject({
      appId: app.id,
      endpointId: ep.id,
      lastAttempt: { responseStatusCode: 500 },
    });
    // Operational messages are retried and logged like any other: they live in the internal app.
    const internal = await server.hw.store.getApp('hookway-operational');
    const logged = await api(server, 'GET', `/api/v1/app/${internal!.id}/attempt/endpoint/${op.id}`);
    expect(logged.body.data.length).toBe(op.receiver.received.length);
  });

  it('disables an endpoint failing longer than HOOKWAY_DISABLE_AFTER_FAILING_SECONDS; re-enabling clears the streak', async () => {
    const server = await h.server({ ...NO_BREAKER, HOOKWAY_DISABLE_AFTER_FAILING_SECONDS: '1' });
    const op = await operator(server);
    const dead = await h.receiver(() => ({ status: 503 }));
    const app = await createApp(server);
    const ep = await createEndpoint(server, app.id, { url: dead.url, retrySchedule: [] });
    await publish(server, app.id);
    await waitFor(() => op.events().find((e) => e.type === 'endpoint.disabled'), 10_000);
    const patched = await api(server, 'PATCH', `/api/v1/app/${app.id}/endpoint/${ep.id}`, { disabled: false });
    expect(patched.status).toBe(200);
    const out = (await api(server, 'GET', `/api/v1/app/${app.id}/endpoint/${ep.id}`)).body;
    expect(out).toMatchObject({ disabled: false, status: 'healthy' });
    await waitFor(() => op.events().some((e) => e.type === 'endpoint.updated'));
  });

  it('message.attempt.failing on the 4th failure, then message.attempt.recovered', async () => {
    const server = await h.server(NO_BREAKER);
    const op = await operator(server);
    const flaky = await h.receiver((_r, n) => (n < 4 ? { status: 500 } : { status: 200, body: 'ok' }));
    const app = await createApp(server);
    const ep = await createEndpoint(server, app.id, { url: flaky.url, retrySchedule: [0, 0, 0, 0, 0] });
    const msg = await publish(server, app.id);
    await waitFor(() => op.events().some((e) => e.type === 'message.attempt.recovered'), 10_000);
    const failing = op.events().filter((e) => e.type === 'message.attempt.failing');
    expect(failing).toHaveLength(1);
    expect(failing[0]!.data).toMatchObject({ msgId: msg.id, endpointId: ep.id, appId: app.id });
    expect(op.events().find((e) => e.type === 'message.attempt.recovered')!.data.msgId).toBe(msg.id);
  });

  it('a chat webhook that answers 404 is disabled at once, a 410 target too; a standard 404 is only retried', async () => {
    const server = await h.server(NO_BREAKER);
    const op = await operator(server);
    const gone = await h.receiver(() => ({ status: 404, body: 'no_service' }));
    const archived = await h.receiver(() => ({ status: 410, body: 'channel_is_archived' }));
    const app = await createApp(server);
    const slack = await createEndpoint(server, app.id, { url: gone.url, format: 'slack', retrySchedule: [60] });
    const discord = await createEndpoint(server, app.id, { url: gone.url, format: 'discord', retrySchedule: [60] });
    const standard = await createEndpoint(server, app.id, { url: gone.url, retrySchedule: [60] });
    const any = await createEndpoint(server, app.id, { url: archived.url, retrySchedule: [60] });
    await publish(server, app.id);

    const disabledIds = () =>
      op
        .events()
        .filter((e) => e.type === 'endpoint.disabled')
        .map((e) => e.data.endpointId as string);
    await waitFor(() => disabledIds().length >= 3, 10_000);
    await sleep(200);
    expect(disabledIds().sort()).toEqual([slack.id, discord.id, any.id].sort());
    for (const e of op.events().filter((x) => x.type === 'endpoint.disabled')) {
      expect(e.data).toMatchObject({ appId: app.id, trigger: 'automatic', failSince: null });
    }
    const state = async (id: string) => (await api(server, 'GET', `/api/v1/app/${app.id}/endpoint/${id}`)).body;
    for (const id of [slack.id, discord.id, any.id]) expect(await state(id)).toMatchObject({ disabled: true });
    expect(await state(standard.id)).toMatchObject({ disabled: false });
    // The 404 itself is an ordinary failed attempt, retried on the schedule; 410 fails the delivery for good.
    const msg = (await api(server, 'GET', `/api/v1/app/${app.id}/msg`)).body.data[0];
    const dests = (await api(server, 'GET', `/api/v1/app/${app.id}/msg/${msg.id}/endpoint`)).body.data;
    const statusOf = (id: string) => dests.find((d: { id: string }) => d.id === id).statusText;
    for (const id of [slack.id, discord.id, standard.id]) expect(statusOf(id)).toBe('pending');
    expect(statusOf(any.id)).toBe('fail');
  });

  it('endpoint.created, updated and deleted, and the operational endpoint API in Svix shape', async () => {
    const server = await h.server();
    const op = await operator(server);
    const app = await createApp(server);
    const ep = await createEndpoint(server, app.id, { url: 'http://127.0.0.1:9/x', uid: 'ep-uid' });
    await api(server, 'PUT', `/api/v1/app/${app.id}/endpoint/${ep.id}`, { url: 'http://127.0.0.1:9/y', uid: 'ep-uid' });
    await api(server, 'DELETE', `/api/v1/app/${app.id}/endpoint/${ep.id}`);
    await waitFor(() => op.events().length >= 3);
    await sleep(100);
    expect(op.events().map((e) => e.type)).toEqual(['endpoint.created', 'endpoint.updated', 'endpoint.deleted']);
    for (const e of op.events()) {
      expect(e.data).toEqual({ appId: app.id, appUid: null, endpointId: ep.id, endpointUid: 'ep-uid' });
    }
    const list = await api(server, 'GET', '/api/v1/operational-webhook/endpoint');
    expect(list.body.data).toHaveLength(1);
    expect((await api(server, 'GET', `/api/v1/operational-webhook/endpoint/${op.id}/secret`)).body.key).toBe(op.key);
    expect((await api(server, 'POST', `/api/v1/operational-webhook/endpoint/${op.id}/secret/rotate`, {})).status).toBe(
      204,
    );
    expect((await api(server, 'DELETE', `/api/v1/operational-webhook/endpoint/${op.id}`)).status).toBe(204);
    expect((await api(server, 'GET', `/api/v1/operational-webhook/endpoint/${op.id}`)).status).toBe(404);
  });
});
