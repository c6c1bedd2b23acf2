import { afterEach, describe, expect, it } from 'vitest';
import { api, waitFor } from '../helpers/server.js';
import { createApp, createEndpoint, opsHarness, publishMany } from './helpers.js';

describe('retention and export', () => {
  const h = opsHarness();
  afterEach(() => h.close());

  it('payloadRetentionPeriod sets the expiry the pruning job honours; DELETE content drops one payload', async () => {
    const server = await h.server();
    const app = await createApp(server);
    const short = await api(server, 'POST', `/api/v1/app/${app.id}/msg`, {
      eventType: 'a.b',
      payload: { secret: 1 },
      payloadRetentionPeriod: 1,
    });
    const normal = await api(server, 'POST', `/api/v1/app/${app.id}/msg`, { eventType: 'a.b', payload: { keep: 1 } });
    const other = await api(server, 'POST', `/api/v1/app/${app.id}/msg`, { eventType: 'a.b', payload: { drop: 1 } });
    const store = server.hw.store;
    // Two days later: the 1-day message is pruned, the default (90 days) one is kept.
    const later = Date.now() + 2 * 86_400_000;
    expect(await store.prunePayloads(later, later - 90 * 86_400_000, 1000)).toBe(1);
    const get = async (id: string) => (await api(server, 'GET', `/api/v1/app/${app.id}/msg/${id}`)).body.payload;
    expect(await get(short.body.id)).toEqual({});
    expect(await get(normal.body.id)).toEqual({ keep: 1 });
    // Past the default retention, everything goes.
    const muchLater = Date.now() + 91 * 86_400_000;
    expect(await store.prunePayloads(muchLater, muchLater - 90 * 86_400_000, 1000)).toBe(2);

    const del = await api(server, 'DELETE', `/api/v1/app/${app.id}/msg/${other.body.id}/content`);
    expect(del.status).toBe(204);
    expect((await api(server, 'DELETE', `/api/v1/app/${app.id}/msg/msg_nope/content`)).status).toBe(404);
  });

  it('exports messages and attempts as NDJSON and CSV, streamed across pages', async () => {
    const server = await h.server();
    const receiver = await h.receiver();
    const app = await createApp(server);
    await createEndpoint(server, app.id, { url: receiver.url });
    const ids = await publishMany(server, app.id, 1050);
    await waitFor(() => receiver.received.length === 1050, 30_000);
    await waitFor(async () => (await server.hw.store.countDeliveries({ status: 'succeeded' })) === 1050);

    const nd = await fetch(`${server.url}/api/v1/app/${app.id}/export/messages?format=ndjson`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    expect(nd.headers.get('content-type')).toMatch(/application\/x-ndjson/);
    const lines = (await nd.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1050);
    expect(new Set(lines.map((l) => l.id))).toEqual(new Set(ids));
    expect(lines.map((l) => l.id)).toEqual([...lines.map((l) => l.id)].sort());

    const csv = await fetch(`${server.url}/api/v1/app/${app.id}/export/attempts?format=csv`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    const rows = (await csv.text()).trim().split('\n');
    expect(rows[0]).toBe(
      'id,msgId,endpointId,url,status,responseStatusCode,responseDurationMs,triggerType,parentId,errorKind,errorDetail,timestamp',
    );
    expect(rows).toHaveLength(1051);
    const future = new Date(Date.now() + 60_000).toISOString();
    const empty = await fetch(`${server.url}/api/v1/app/${app.id}/export/attempts?format=csv&since=${future}`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    expect((await empty.text()).trim().split('\n')).toHaveLength(1);
    expect((await api(server, 'GET', `/api/v1/app/${app.id}/export/messages?format=xml`)).status).toBe(422);
  }, 60_000);
});
