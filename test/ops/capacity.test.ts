import { afterEach, describe, expect, it } from 'vitest';
import { api, waitFor } from '../helpers/server.js';
import { createApp, createEndpoint, opsHarness, publish, sleep } from './helpers.js';

async function publishBurst(server: Parameters<typeof publish>[0], appId: string, n: number, eventType = 'a.b') {
  let next = 0;
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (next < n) {
        const i = next++;
        await publish(server, appId, { i }, eventType);
      }
    }),
  );
}

describe('rate limits and the circuit breaker', () => {
  const h = opsHarness();
  afterEach(() => h.close());

  it('a rate limit of 50/s holds within 10% over 10 seconds, and nothing is dropped', async () => {
    const server = await h.server();
    const receiver = await h.receiver();
    const app = await createApp(server);
    await createEndpoint(server, app.id, { url: receiver.url, rateLimit: 50 });
    const total = 650;
    await publishBurst(server, app.id, total);
    await waitFor(() => receiver.received.length === total, 30_000, 50);
    const times = receiver.received.map((r) => r.at).sort((a, b) => a - b);
    const t0 = times[0]!;
    const inFirst10s = times.filter((t) => t < t0 + 10_000).length;
    // Busiest 1-second window anywhere in the run.
    let peak = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i]! - times[j]! >= 1000) j++;
      peak = Math.max(peak, i - j + 1);
    }
    console.log(`rate limit 50/s: ${inFirst10s} deliveries in the first 10 s, busiest second ${peak}`);
    expect(inFirst10s).toBeGreaterThanOrEqual(450);
    expect(inFirst10s).toBeLessThanOrEqual(550);
    // Timestamps are taken at the receiver, so network jitter can bunch a few deliveries into one second.
    expect(peak).toBeLessThanOrEqual(66);
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(total);
    // Attempt records commit just after the response (they share a transaction a few ms later).
    await waitFor(async () => (await server.hw.store.countDeliveries({ status: 'succeeded' })) === total, 5_000, 20);
  }, 40_000);

  for (const [change, next] of [
    ['lifted', null],
    ['raised to 500/s', 500],
  ] as const) {
    it(`a rate limit of 1/s ${change}: the deliveries already waiting for it go out at once`, async () => {
      const server = await h.server();
      const receiver = await h.receiver();
      const app = await createApp(server);
      const ep = await createEndpoint(server, app.id, { url: receiver.url, rateLimit: 1 });
      const total = 40;
      await publishBurst(server, app.id, total);
      // Claimed (a lane holds 64) and waiting for tokens at 1/s: 40 s of queue.
      await waitFor(() => receiver.received.length >= 2, 10_000, 20);
      const res = await api(server, 'PATCH', `/api/v1/app/${app.id}/endpoint/${ep.id}`, { rateLimit: next });
      expect(res.status).toBe(200);
      expect(res.body.rateLimit).toBe(next);
      const changedAt = Date.now();
      await waitFor(() => receiver.received.length === total, 10_000, 20);
      const seconds = (Date.now() - changedAt) / 1000;
      console.log(`rate limit ${change}: the last ${total - 2} or fewer deliveries out ${seconds.toFixed(2)} s after`);
      // At the old rate they would take ~38 s more.
      expect(seconds).toBeLessThan(5);
      expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(total);
    }, 30_000);
  }

  it('a rate limit lowered from 20/s to 2/s holds at once for the deliveries already claimed', async () => {
    const server = await h.server();
    const receiver = await h.receiver(() => ({ status: 200, delayMs: 50 }));
    const app = await createApp(server);
    const ep = await createEndpoint(server, app.id, { url: receiver.url, rateLimit: 20 });
    // Claimed right away, with the endpoint as it was: 20/s, 3 s of queue.
    await publishBurst(server, app.id, 60);
    const res = await api(server, 'PATCH', `/api/v1/app/${app.id}/endpoint/${ep.id}`, { rateLimit: 2 });
    expect(res.status).toBe(200);
    // Sends already past the throttle when the change landed still arrive (many on a loaded
    // machine), so the rate is read over the two seconds after the first.
    await sleep(1000);
    const before = receiver.received.length;
    await sleep(2000);
    const inTwoSeconds = receiver.received.length - before;
    console.log(
      `rate limit lowered: ${before} received by 1 s after the change, ${inTwoSeconds} in the 2 s after that`,
    );
    // At 2/s: ~4 in 2 s (one more at a window's edge); at the old 20/s the rest (~40) would go.
    expect(inTwoSeconds).toBeLessThanOrEqual(6);
    expect(before + inTwoSeconds).toBeLessThan(60);
  }, 30_000);

  it('the breaker pauses a dead endpoint (probing it) while a healthy one keeps its throughput; nothing is dropped', async () => {
    const server = await h.server({
      HOOKWAY_BREAKER_PROBE_SECONDS: '1',
      HOOKWAY_ENDPOINT_CONCURRENCY: '4',
      HOOKWAY_WORKER_CONCURRENCY: '16',
    });
    let deadAlive = false;
    const dead = await h.receiver(() => (deadAlive ? { status: 200, body: 'ok' } : { status: 500, delayMs: 100 }));
    const healthy = await h.receiver();
    const app = await createApp(server);
    const deadEp = await createEndpoint(server, app.id, {
      url: dead.url,
      filterTypes: ['dead.event'],
      retrySchedule: Array(20).fill(0),
    });
    await createEndpoint(server, app.id, { url: healthy.url, filterTypes: ['live.event'] });

    await publishBurst(server, app.id, 200, 'dead.event');
    const started = Date.now();
    await publishBurst(server, app.id, 400, 'live.event');
    await waitFor(() => healthy.received.length === 400, 20_000, 20);
    const healthySeconds = (Date.now() - started) / 1000;
    await sleep(3000);
    const deadCount = dead.received.length;
    const elapsed = (Date.now() - started) / 1000;
    console.log(
      `breaker: healthy 400 deliveries in ${healthySeconds.toFixed(2)} s; dead endpoint got ${deadCount} requests in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    // Open after ~10 failures; then a probe (at most the in-flight cap of 4) per second. The bound
    // follows the elapsed time, so a slow machine (more seconds, more probes) is not a failure;
    // without the breaker the dead endpoint would get ~40 requests per second (4 slots, 100 ms each).
    expect(deadCount).toBeGreaterThanOrEqual(10);
    expect(deadCount).toBeLessThan(14 + 5 * Math.ceil(elapsed));
    // Every request the dead endpoint saw is an attempt in the log (the last ones may still be in flight).
    await waitFor(async () => {
      const logged = (await api(server, 'GET', `/api/v1/app/${app.id}/attempt/endpoint/${deadEp.id}?limit=250`)).body
        .data;
      return logged.length === dead.received.length;
    });
    // Deliveries wait; none were given up.
    expect(await server.hw.store.countDeliveries({ status: 'exhausted' })).toBe(0);

    deadAlive = true;
    await waitFor(async () => (await server.hw.store.countDeliveries({ status: 'succeeded' })) === 600, 20_000, 50);
    const ids = new Set(dead.received.filter((r) => r.at > 0).map((r) => r.headers['webhook-id']));
    expect(ids.size).toBe(200);
  }, 60_000);
});
