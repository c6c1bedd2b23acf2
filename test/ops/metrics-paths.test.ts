import { afterEach, describe, expect, it } from 'vitest';
import { Receiver } from '../helpers/receiver.js';
import { api, startTestServer, type TestServer, waitFor } from '../helpers/server.js';

/**
 * Every metric docs/operations.md lists, produced by the code path it names
 * and driven here through that path (HTTP requests, real deliveries), never
 * fed by the test. Expected values come from what the test did or from the
 * database.
 */
async function scrape(server: TestServer): Promise<(key: string) => number | undefined> {
  const text = await (
    await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${server.token}` } })
  ).text();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return (key) => samples.get(key);
}

describe('metrics come from their code paths', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });
  async function server(env: Record<string, string> = {}) {
    const s = await startTestServer({}, env);
    cleanup.push(() => s.close());
    return s;
  }

  it('inbound events are counted by the gateway, by source and outcome', async () => {
    const s = await server();
    const open = (
      await api(s, 'POST', '/ingest/api/v1/source', {
        name: 'open',
        type: 'generic-webhook',
        config: { idHeader: 'x-id' },
        bodyLimit: 1024,
      })
    ).body;
    const keyed = (
      await api(s, 'POST', '/ingest/api/v1/source', { name: 'keyed', type: 'api-key', config: { key: 'k-123' } })
    ).body;
    const post = (id: string, headers: Record<string, string>, body = '{}') =>
      fetch(`${s.url}/in/${id}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    expect((await post(open.id, { 'x-id': 'e1' })).status).toBe(200);
    expect((await post(open.id, { 'x-id': 'e2' })).status).toBe(200);
    expect((await post(open.id, { 'x-id': 'e1' })).status).toBe(200);
    expect((await post(open.id, { 'x-id': 'e3' }, JSON.stringify({ pad: 'x'.repeat(2000) }))).status).toBe(413);
    expect((await post(keyed.id, { 'x-api-key': 'wrong' })).status).toBe(401);
    expect((await post(keyed.id, { 'x-api-key': 'k-123' })).status).toBe(200);
    expect((await post('src_nope', {})).status).toBe(404);
    const m = await scrape(s);
    expect(m(`hookway_inbound_events_total{source="${open.id}",outcome="accepted"}`)).toBe(2);
    expect(m(`hookway_inbound_events_total{source="${open.id}",outcome="duplicate"}`)).toBe(1);
    expect(m(`hookway_inbound_events_total{source="${open.id}",outcome="too_large"}`)).toBe(1);
    expect(m(`hookway_inbound_events_total{source="${keyed.id}",outcome="rejected"}`)).toBe(1);
    expect(m(`hookway_inbound_events_total{source="${keyed.id}",outcome="accepted"}`)).toBe(1);
    // The count agrees with what the gateway stored.
    const stored = (await api(s, 'GET', `/ingest/api/v1/source/${open.id}/event`)).body.data;
    expect(stored).toHaveLength(2);
  });

  it('messages, attempts and latency are counted where messages are created and attempts are made', async () => {
    const s = await server();
    const ok = await Receiver.start();
    const bad = await Receiver.start(() => ({ status: 502, body: 'no' }));
    cleanup.push(
      () => ok.close(),
      () => bad.close(),
    );
    const app = (await api(s, 'POST', '/api/v1/app', { name: 'm' })).body;
    const good = (await api(s, 'POST', `/api/v1/app/${app.id}/endpoint`, { url: ok.url, filterTypes: ['ok'] })).body;
    const failing = (
      await api(s, 'POST', `/api/v1/app/${app.id}/endpoint`, { url: bad.url, filterTypes: ['bad'], retrySchedule: [0] })
    ).body;
    for (let i = 0; i < 3; i++) await api(s, 'POST', `/api/v1/app/${app.id}/msg`, { eventType: 'ok', payload: { i } });
    await api(s, 'POST', `/api/v1/app/${app.id}/msg`, { eventType: 'bad', payload: {} });
    await api(s, 'POST', `/api/v1/app/${app.id}/endpoint/${good.id}/send-example`, { eventType: 'svix.ping' });
    await waitFor(async () => (await s.hw.store.countDeliveries({ status: 'succeeded' })) === 4);
    await waitFor(async () => (await s.hw.store.countDeliveries({ status: 'exhausted' })) === 1);
    // An operator disables the failing endpoint: operational webhooks are published into the internal app.
    await api(s, 'PATCH', `/api/v1/app/${app.id}/endpoint/${failing.id}`, { disabled: true });
    const internal = await s.hw.store.getApp('hookway-operational');
    const operational = await waitFor(async () => {
      const n = (await s.hw.store.listMessages(internal!.id, {}, { limit: 100 })).data.length;
      // endpoint.created twice, message.attempt.exhausted, endpoint.updated, endpoint.disabled
      return n >= 5 ? n : null;
    });
    const m = await scrape(s);
    expect(m('hookway_messages_created_total{source="api"}')).toBe(4);
    expect(m('hookway_messages_created_total{source="example"}')).toBe(1);
    expect(m('hookway_messages_created_total{source="operational"}')).toBe(operational);
    expect(m('hookway_attempts_total{outcome="succeeded",status_class="2xx"}')).toBe(4);
    expect(m('hookway_attempts_total{outcome="failed",status_class="5xx"}')).toBe(2);
    expect(m('hookway_delivery_latency_seconds_count')).toBe(4);
    expect(m('hookway_queue_depth')).toBe(0);
  });

  it('the queue gauges read the database: depth and how overdue the oldest due delivery is', async () => {
    // An API-only node sends nothing, so what is published stays queued.
    const s = await server({ HOOKWAY_ROLE: 'api' });
    const app = (await api(s, 'POST', '/api/v1/app', { name: 'q' })).body;
    await api(s, 'POST', `/api/v1/app/${app.id}/endpoint`, { url: 'http://127.0.0.1:9/x' });
    const before = Date.now();
    for (let i = 0; i < 3; i++) await api(s, 'POST', `/api/v1/app/${app.id}/msg`, { eventType: 'e', payload: {} });
    await new Promise((r) => setTimeout(r, 1100));
    const m = await scrape(s);
    expect(m('hookway_queue_depth')).toBe(3);
    const age = m('hookway_queue_oldest_due_age_seconds') ?? 0;
    expect(age).toBeGreaterThanOrEqual(1);
    expect(age).toBeLessThanOrEqual((Date.now() - before) / 1000);
  });
});
