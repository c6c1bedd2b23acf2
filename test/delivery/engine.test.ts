import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '../../src/core/ids.js';
import { Receiver } from '../helpers/receiver.js';
import { api, startTestServer, type TestServer, waitFor } from '../helpers/server.js';

/** The delivery engine against real local receivers: retries, timeouts, 410, isolation. */
describe('delivery engine', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  async function setup(script?: ConstructorParameters<typeof Object>[0], env: Record<string, string> = {}) {
    const server = await startTestServer({}, env);
    cleanup.push(() => server.close());
    const receiver = await Receiver.start(script);
    cleanup.push(() => receiver.close());
    const app = (await api(server, 'POST', '/api/v1/app', { name: 'engine' })).body;
    return { server, receiver, app };
  }

  async function endpoint(server: TestServer, appId: string, body: Record<string, unknown>) {
    const res = await api(server, 'POST', `/api/v1/app/${appId}/endpoint`, body);
    expect(res.status).toBe(201);
    return res.body;
  }

  /** `n` messages to one endpoint written straight to the store in one batch: nothing is handed off. */
  async function storeMessages(
    server: TestServer,
    appId: string,
    endpointId: string,
    eventType: string,
    n: number,
    at: number,
  ) {
    await server.hw.store.createMessages(
      Array.from({ length: n }, (_, i) => ({
        message: {
          id: newId('msg', at),
          appId,
          eventType,
          eventId: null,
          payload: `{"i":${i}}`,
          channels: null,
          tags: null,
          createdAt: at,
        },
        endpointIds: [endpointId],
      })),
      at,
    );
  }

  async function attempts(server: TestServer, appId: string, msgId: string) {
    return (await api(server, 'GET', `/api/v1/app/${appId}/attempt/msg/${msgId}?order=ascending`)).body.data as any[];
  }

  it('retries 500, 500, then 200: exactly 3 attempts with the same webhook-id', async () => {
    const { server, receiver, app } = await setup();
    receiver.script = (_req, n) => (n < 2 ? { status: 500, body: 'boom' } : { status: 200, body: 'fine' });
    const ep = await endpoint(server, app.id, { url: receiver.url, retrySchedule: [0, 0, 0] });
    const msg = (await api(server, 'POST', `/api/v1/app/${app.id}/msg`, { eventType: 'a.b', payload: { x: 1 } })).body;
    const list = await waitFor(async () => {
      const a = await attempts(server, app.id, msg.id);
      return a.length === 3 ? a : null;
    });
    expect(list.map((a) => a.responseStatusCode)).toEqual([500, 500, 200]);
    expect(list.map((a) => a.status)).toEqual([2, 2, 0]);
    expect(list.map((a) => a.errorKind)).toEqual(['http_error', 'http_error', null]);
    expect(list[0].response).toBe('boom');
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id']))).toEqual(new Set([msg.id]));
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.received).toHaveLength(3);
    const dest = (await api(server, 'GET', `/api/v1/app/${app.id}/msg/${msg.id}/endpoint`)).body.data;
    expect(dest[0].id).toBe(ep.id);
    expect(dest[0].status).toBe(0);
  });

  it('gives up after the schedule is exhausted and records every failure', async () => {
    const { server, receiver, app } = await setup(() => ({ status: 503 }));
    await endpoint(server, app.id, { url: receiver.url, retrySchedule: [0, 0] });
    const msg = (await api(server, 'POST', `/api/v1/app/${app.id}/msg`, { eventType: 'a.b', payload: {} })).body;
    const list = await waitFor(async () => {
      const a = await attempts(server, app.id, msg.id);
      return a.length === 3 ? a : null;
    });
    expect(list.every((a) => a.status === 2 && a.responseStatusCode === 503)).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.received).toHaveLength(3);
    const dest = (await api(server, 'GET', `/api/v1/app/${app.id}/msg/${msg.id}/endpoint`)).body.data;
    expect(dest[0].status).toBe(2);
  });

  it('cuts a hanging receiver at the endpoint timeout', async () => {
    const { server, receiver, app } = await setup(() => 'hang');
    await endpoint(server, app.id, { url: receiver.url, timeoutMs: 300, retrySchedule: [] });
    const msg = (await api(server, 'POST', `/api/v1/app/${app.id}/msg`, { eventType: 'a.b', payload: {} })).body;
    const [a] = await waitFor(async () => {
      const l = await attempts(server, app.id, msg.id);
      return l.length === 1 ? l : null;
    });
    expect(a.errorKind).toBe('timeout');
    expect(a.responseStatusCode).toBe(0);
    expect(a.responseDurationMs).toBeGreaterThanOrEqual(280);
    expect(a.responseDurationMs).toBeLessThan(3000);
  });

  it('disables the endpoint on 410 Gone', async () => {
    const { server, receiver, app } = await setup(() => ({ status: 410 }));
    const ep = await endpoint(server, app.id, { url: receiver.url });
    await api(server, 'POST', `/api/v1/app/${app.id}/msg`, { eventType: 'a.b', payload: {} });
    await waitFor(
      async () => (await api(server, 'GET', `/api/v1/app/${app.id}/endpoint/${ep.id}`)).body.disabled === true,
    );
    await api(server, 'POST', `/api/v1/app/${app.id}/msg`, { eventType: 'a.b', payload: {} });
    await new Promise((r) => setTimeout(r, 400));
    expect(receiver.received).toHaveLength(1);
  });

  it('records a refused private target as a blocked attempt', async () => {
    const { server, app } = await setup(undefined, { HOOKWAY_ALLOWED_TARGETS: '' });
    // The API refuses a private URL at creation (422)...
    const res = await api(server, 'POST', `/api/v1/app/${app.id}/endpoint`, { url: 'http://localhost:9/hook' });
    expect(res.status).toBe(422);
    // ...but DNS can change after creation, so delivery checks again at connect time. Simulate
    // an endpoint whose name now resolves to loopback by writing it straight to the store.
    await server.hw.store.createEndpoint(
      {
        id: 'ep_01JCRASHTESTBLOCKED0000000',
        appId: app.id,
        uid: null,
        url: 'http://localhost:9/hook',
        description: '',
        filterTypes: null,
        channels: null,
        disabled: false,
        rateLimit: null,
        metadata: {},
        headers: {},
        secrets: [{ key: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', expiresAt: null }],
        timeoutMs: null,
        retrySchedule: [],
        format: 'standard',
        transformation: null,
      },
      Date.now(),
    );
    const msg = (await api(server, 'POST', `/api/v1/app/${app.id}/msg`, { eventType: 'a.b', payload: {} })).body;
    const [a] = await waitFor(async () => {
      const l = await attempts(server, app.id, msg.id);
      return l.length === 1 ? l : null;
    });
    expect(a.errorKind).toBe('blocked');
    expect(a.status).toBe(2);
  });

  it('resend creates a manual attempt linked to the previous one', async () => {
    const { server, receiver, app } = await setup(() => ({ status: 500 }));
    const ep = await endpoint(server, app.id, { url: receiver.url, retrySchedule: [] });
    const msg = (await api(server, 'POST', `/api/v1/app/${app.id}/msg`, { eventType: 'a.b', payload: {} })).body;
    const [first] = await waitFor(async () => {
      const l = await attempts(server, app.id, msg.id);
      return l.length === 1 ? l : null;
    });
    receiver.script = () => ({ status: 200 });
    const r = await api(server, 'POST', `/api/v1/app/${app.id}/msg/${msg.id}/endpoint/${ep.id}/resend`);
    expect(r.status).toBe(202);
    const list = await waitFor(async () => {
      const l = await attempts(server, app.id, msg.id);
      return l.length === 2 ? l : null;
    });
    expect(list[1].triggerType).toBe(1);
    expect(list[1].parentId).toBe(first.id);
    expect(list[1].status).toBe(0);
  });

  it('a burst to one endpoint, larger than its lane, is sent without waiting for the poll interval', async () => {
    // The poll is the floor that guarantees progress, not the mechanism: with a 60 s poll, a
    // burst of 10 lanes' worth (lane = 4 x 16) must drain on wake-ups alone. Before the claim
    // loop re-armed its wake-up for a lane it filled, this took one poll interval per lane.
    const { server, receiver, app } = await setup(undefined, { HOOKWAY_POLL_INTERVAL_MS: '60000' });
    await endpoint(server, app.id, { url: receiver.url });
    const at = Date.now();
    const ep = (await api(server, 'GET', `/api/v1/app/${app.id}/endpoint`)).body.data[0];
    // Written straight to the store: nothing is handed off, every delivery goes through claims.
    await storeMessages(server, app.id, ep.id, 'a.b', 640, at);
    server.hw.dispatcher?.wake();
    await waitFor(() => receiver.received.length >= 640, 20_000, 5);
    expect(Date.now() - at).toBeLessThan(20_000);
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(640);
  });

  it('a slow endpoint taking half the traffic does not delay a healthy one', async () => {
    const server = await startTestServer({}, { HOOKWAY_ENDPOINT_CONCURRENCY: '4' });
    cleanup.push(() => server.close());
    const slow = await Receiver.start(() => ({ status: 200, delayMs: 5000 }));
    cleanup.push(() => slow.close());
    const fast = await Receiver.start(() => ({ status: 200 }));
    cleanup.push(() => fast.close());
    const app = (await api(server, 'POST', '/api/v1/app', { name: 'iso' })).body;
    await endpoint(server, app.id, { url: slow.url, filterTypes: ['slow.*'] });
    await endpoint(server, app.id, { url: fast.url, filterTypes: ['fast.*'] });
    // Fill the slow endpoint first so its backlog sits ahead of the healthy traffic.
    for (let i = 0; i < 40; i++)
      await api(server, 'POST', `/api/v1/app/${app.id}/msg`, { eventType: 'slow.x', payload: { i } });
    const latencies: number[] = [];
    for (let i = 0; i < 40; i++) {
      const sentAt = Date.now();
      await api(server, 'POST', `/api/v1/app/${app.id}/msg`, { eventType: 'fast.x', payload: { i } });
      await waitFor(() => fast.received.length > i, 5000, 1);
      latencies.push((fast.received[i]?.at ?? 0) - sentAt);
    }
    latencies.sort((a, b) => a - b);
    const p95 = latencies[Math.floor(latencies.length * 0.95)] ?? Infinity;
    console.log(
      `isolation: healthy endpoint create-to-delivered p50 ${latencies[20]} ms, p95 ${p95} ms, max ${latencies.at(-1)} ms while the slow endpoint's 4 slots are blocked`,
    );
    // Healthy deliveries keep flowing while all 4 slots of the slow endpoint are blocked for 5 s.
    expect(p95).toBeLessThan(100);
    expect(slow.received.length).toBeLessThanOrEqual(8);
  });
  it('an endpoint that never answers, with a backlog ahead of the healthy traffic, does not delay a healthy one', async () => {
    const server = await startTestServer({}, { HOOKWAY_TIMEOUT_MS: '30000' });
    cleanup.push(() => server.close());
    // Accepts connections and never answers: every send to it holds its slot until the timeout.
    const sockets = new Set<Socket>();
    const dead = createServer((s) => {
      sockets.add(s);
      s.on('error', () => {});
      s.resume();
    });
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    cleanup.push(async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => dead.close(r));
    });
    const fast = await Receiver.start(() => ({ status: 200 }));
    cleanup.push(() => fast.close());
    const app = (await api(server, 'POST', '/api/v1/app', { name: 'iso-dead' })).body;
    const { port } = dead.address() as { port: number };
    await endpoint(server, app.id, { url: `http://127.0.0.1:${port}/hook`, filterTypes: ['dead.*'] });
    await endpoint(server, app.id, { url: fast.url, filterTypes: ['fast.*'] });
    // The backlog that 1,000 msg/s with every other message to the dead endpoint builds in 3 s,
    // written straight to the store in one batch (posting it would take longer than the test).
    const post = (eventType: string) => api(server, 'POST', `/api/v1/app/${app.id}/msg`, { eventType, payload: {} });
    const deadEp = (await api(server, 'GET', `/api/v1/app/${app.id}/endpoint?limit=10`)).body.data.find(
      (e: { url: string }) => e.url.includes(String(port)),
    );
    const at = Date.now();
    await storeMessages(server, app.id, deadEp.id, 'dead.x', 1500, at);
    server.hw.dispatcher?.wake();
    await waitFor(() => sockets.size >= 16);
    // Then every other message to each, at a steady pace.
    const latencies: number[] = [];
    for (let i = 0; i < 60; i++) {
      void post('dead.x');
      const sentAt = Date.now();
      await post('fast.x');
      await waitFor(() => fast.received.length > i, 5000, 1);
      latencies.push((fast.received[i]?.at ?? 0) - sentAt);
      await new Promise((r) => setTimeout(r, 10));
    }
    latencies.sort((a, b) => a - b);
    const p50 = latencies[30] ?? Infinity;
    const p90 = latencies[54] ?? Infinity;
    console.log(
      `isolation (never-answering endpoint, 1,500 queued): healthy create-to-delivered p50 ${p50} ms, p90 ${p90} ms, max ${latencies.at(-1)} ms`,
    );
    // Before claims walked endpoint by endpoint, the healthy rows waited behind the backlog for a
    // periodic full scan (every 250 ms): p50 313-421 ms here. Measured after: p50 33 ms, p90 64 ms
    // on the loaded 2-core dev box (the slow-endpoint test above shows ~26 ms p50 in that run).
    expect(p50).toBeLessThan(80);
    expect(p90).toBeLessThan(250);
  });
});
