import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { api, waitFor } from '../helpers/server.js';
import { createApp, createEndpoint, opsHarness, publish, sleep } from './helpers.js';

const secret = () => `whsec_${randomBytes(32).toString('base64')}`;

describe('test delivery and secret rotation', () => {
  const h = opsHarness();
  afterEach(() => h.close());

  it('send-example publishes svix.ping to that endpoint only and answers the message', async () => {
    const server = await h.server();
    const target = await h.receiver();
    const bystander = await h.receiver();
    const app = await createApp(server);
    const ep = await createEndpoint(server, app.id, { url: target.url });
    await createEndpoint(server, app.id, { url: bystander.url });
    const res = await api(server, 'POST', `/api/v1/app/${app.id}/endpoint/${ep.id}/send-example`, {
      eventType: 'svix.ping',
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ eventType: 'svix.ping', payload: { success: true } });
    expect(res.body.id).toMatch(/^msg_/);
    await waitFor(() => target.received.length === 1);
    expect(JSON.parse(target.received[0]!.body)).toEqual({ success: true });
    const attempts = await waitFor(async () => {
      const a = (await api(server, 'GET', `/api/v1/app/${app.id}/attempt/msg/${res.body.id}`)).body.data;
      return a.length === 1 ? a : null;
    });
    expect(attempts[0]).toMatchObject({ status: 0, endpointId: ep.id, responseStatusCode: 200 });
    await sleep(200);
    expect(bystander.received).toHaveLength(0);

    const missing = await api(server, 'POST', `/api/v1/app/${app.id}/endpoint/${ep.id}/send-example`, {
      eventType: 'no.such.type',
    });
    expect(missing.status).toBe(422);
  });

  it('rotation signs with both keys during the grace period, then only with the new one', async () => {
    const server = await h.server();
    const receiver = await h.receiver();
    const app = await createApp(server);
    const oldKey = secret();
    const newKey = secret();
    const ep = await createEndpoint(server, app.id, { url: receiver.url, secret: oldKey });
    const rotated = await api(server, 'POST', `/api/v1/app/${app.id}/endpoint/${ep.id}/secret/rotate`, {
      key: newKey,
      gracePeriodSeconds: 2,
    });
    expect(rotated.status).toBe(204);
    expect((await api(server, 'GET', `/api/v1/app/${app.id}/endpoint/${ep.id}/secret`)).body.key).toBe(newKey);

    await publish(server, app.id, { during: true });
    await waitFor(() => receiver.received.length === 1);
    const during = receiver.received[0]!;
    expect(during.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(new Webhook(oldKey).verify(during.body, during.headers)).toEqual({ during: true });
    expect(new Webhook(newKey).verify(during.body, during.headers)).toEqual({ during: true });

    await sleep(2300);
    await publish(server, app.id, { after: true });
    await waitFor(() => receiver.received.length === 2);
    const after = receiver.received[1]!;
    expect(after.headers['webhook-signature']!.split(' ')).toHaveLength(1);
    expect(new Webhook(newKey).verify(after.body, after.headers)).toEqual({ after: true });
    expect(() => new Webhook(oldKey).verify(after.body, after.headers)).toThrow(/No matching signature/);
  });

  it('keeps at most 10 old secrets and validates the request', async () => {
    const server = await h.server();
    const app = await createApp(server);
    const ep = await createEndpoint(server, app.id, { url: 'http://127.0.0.1:9/x' });
    for (let i = 0; i < 12; i++) {
      const r = await api(server, 'POST', `/api/v1/app/${app.id}/endpoint/${ep.id}/secret/rotate`, {});
      expect(r.status).toBe(204);
    }
    const stored = await server.hw.store.getEndpoint(app.id, ep.id);
    expect(stored!.secrets).toHaveLength(11);
    expect(stored!.secrets.filter((s) => s.expiresAt === null)).toHaveLength(1);
    const tooLong = await api(server, 'POST', `/api/v1/app/${app.id}/endpoint/${ep.id}/secret/rotate`, {
      gracePeriodSeconds: 8 * 24 * 3600,
    });
    expect(tooLong.status).toBe(422);
    const badKey = await api(server, 'POST', `/api/v1/app/${app.id}/endpoint/${ep.id}/secret/rotate`, { key: 'nope' });
    expect(badKey.status).toBe(422);
  });
});
