import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hookway } from '../../src/sdk/index.js';
import { Receiver } from '../helpers/receiver.js';
import { api, startTestServer, type TestServer, waitFor } from '../helpers/server.js';

/** Endpoint payload filters through the API, on both databases, with a real receiver. */
describe.each(['sqlite', 'postgres'])('payload filters on %s', (db) => {
  let server: TestServer;
  let receiver: Receiver;
  let appId: string;

  beforeAll(async () => {
    server = await startTestServer({}, { HOOKWAY_TEST_DB: db });
    receiver = await Receiver.start();
    appId = (await api(server, 'POST', '/api/v1/app', { name: 'filters' })).body.id;
  });
  afterAll(async () => {
    await receiver.close();
    await server.close();
  });

  const endpoint = (body: Record<string, unknown>) =>
    api(server, 'POST', `/api/v1/app/${appId}/endpoint`, { url: receiver.url, ...body });

  it('refuses a filter that does not compile with 422 invalid_filter pointing at the error, on create and update', async () => {
    const bad = await endpoint({ filter: 'payload.amount >= ' });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('invalid_filter');
    expect(bad.body.detail).toMatch(/^filter: Unexpected token: EOF/);
    expect(bad.body.detail).toMatch(/\(at offset 18\)$/);
    const regex = await endpoint({ filter: 'payload.s.matches("(a+)+")' });
    expect(regex.status).toBe(422);
    expect(regex.body.detail).toMatch(/matches\(\) is not available/);

    const ok = await endpoint({ filter: 'payload.amount >= 1000' });
    expect(ok.status).toBe(201);
    expect(ok.body.filter).toBe('payload.amount >= 1000');
    const path = `/api/v1/app/${appId}/endpoint/${ok.body.id}`;
    const patch = await api(server, 'PATCH', path, { filter: 'nope == 1' });
    expect(patch.status).toBe(422);
    expect(patch.body).toMatchObject({ code: 'invalid_filter' });
    expect(patch.body.detail).toMatch(/Unknown variable: nope/);
    // Unchanged by the refused update; PATCH without `filter` keeps it, PUT without it clears it, "" clears it.
    expect((await api(server, 'GET', path)).body.filter).toBe('payload.amount >= 1000');
    expect((await api(server, 'PATCH', path, { description: 'd' })).body.filter).toBe('payload.amount >= 1000');
    expect((await api(server, 'PUT', path, { url: receiver.url })).body.filter).toBeNull();
    await api(server, 'PATCH', path, { filter: 'true' });
    expect((await api(server, 'PATCH', path, { filter: '' })).body.filter).toBeNull();
    await api(server, 'DELETE', path);
  });

  it('delivers only what the filter accepts, creates no delivery otherwise, and shows filter errors on the message', async () => {
    const big = (await endpoint({ filter: 'payload.amount >= 1000 && payload.currency == "EUR"', uid: `big-${db}` }))
      .body;
    const broken = (await endpoint({ filter: 'payload.customer.tier == "gold"', uid: `broken-${db}` })).body;
    const send = async (payload: Record<string, unknown>) =>
      (await api(server, 'POST', `/api/v1/app/${appId}/msg`, { eventType: 'invoice.paid', payload })).body.id as string;

    const small = await send({ amount: 10, currency: 'EUR' });
    const usd = await send({ amount: 5000, currency: 'USD' });
    const match = await send({ amount: 1500, currency: 'EUR', customer: { tier: 'silver' } });
    const gold = await send({ amount: 1, currency: 'EUR', customer: { tier: 'gold' } });

    await waitFor(() => receiver.received.length >= 2);
    await new Promise((r) => setTimeout(r, 500));
    const got = receiver.received.map((r) => `${r.headers['webhook-id']}`).sort();
    expect(got).toEqual([match, gold].sort());
    // The two endpoints each got exactly their one message.
    const idsOf = (ep: { id: string }) =>
      api(server, 'GET', `/api/v1/app/${appId}/attempt/endpoint/${ep.id}`).then((r) =>
        r.body.data.map((a: { msgId: string }) => a.msgId),
      );
    expect(await idsOf(big)).toEqual([match]);
    expect(await idsOf(broken)).toEqual([gold]);

    // Filtered out by `false`: no delivery, nothing listed.
    const dest = (msg: string) =>
      api(server, 'GET', `/api/v1/app/${appId}/msg/${msg}/endpoint`).then((r) => r.body.data);
    expect(await dest(usd)).toEqual([
      expect.objectContaining({
        id: broken.id,
        statusText: 'filtered',
        status: 2,
        deliveryState: 'filtered',
        attempts: 0,
        filterError: 'No such key: customer',
      }),
    ]);
    const smallDest = await dest(small);
    expect(smallDest).toHaveLength(1);
    expect(smallDest[0]).toMatchObject({ id: broken.id, filterError: 'No such key: customer', nextAttempt: null });
    // A filter answering false leaves no trace: `match` lists only the endpoint that got it.
    expect(await dest(match)).toEqual([
      expect.objectContaining({ id: big.id, statusText: 'success', deliveryState: 'succeeded', filterError: null }),
    ]);
    expect(await dest(gold)).toEqual([
      expect.objectContaining({ id: broken.id, statusText: 'success', filterError: null }),
    ]);
    await api(server, 'DELETE', `/api/v1/app/${appId}/endpoint/${big.id}`);
    await api(server, 'DELETE', `/api/v1/app/${appId}/endpoint/${broken.id}`);
  });

  it('tries a filter on a sample message through the SDK, and documents filter in the OpenAPI document', async () => {
    const hw = new Hookway(server.token, { serverUrl: server.url });
    const filter = 'payload.amount >= 1000 && "eu" in channels';
    expect(await hw.endpoint.testFilter({ filter, payload: { amount: 1200 }, channels: ['eu'] })).toEqual({
      pass: true,
      error: null,
    });
    expect(await hw.endpoint.testFilter({ filter, payload: { amount: 1200 }, channels: [] })).toEqual({
      pass: false,
      error: null,
    });
    // CEL's && is false when either side is false, even if the other errs; alone, the missing key is an error.
    expect(await hw.endpoint.testFilter({ filter, payload: {} })).toEqual({ pass: false, error: null });
    expect(await hw.endpoint.testFilter({ filter: 'payload.amount >= 1000', payload: {} })).toEqual({
      pass: false,
      error: 'No such key: amount',
    });
    const bad = await api(server, 'POST', '/api/v1/filter/test', { filter: 'payload.', payload: {} });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('invalid_filter');
    const doc = (await api(server, 'GET', '/openapi.json')).body;
    const create = doc.paths['/api/v1/app/{app_id}/endpoint'].post.requestBody.content['application/json'].schema;
    expect(create.properties.filter.type).toEqual(['string', 'null']);
    expect(doc.paths['/api/v1/filter/test'].post).toBeDefined();
  });
});
