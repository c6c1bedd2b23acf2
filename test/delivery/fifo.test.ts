import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { redisStream } from '../helpers/brokers.js';
import { Receiver } from '../helpers/receiver.js';
import { api, startTestServer, type TestServer, waitFor } from '../helpers/server.js';

/**
 * FIFO endpoints through the whole server, on SQLite and PostgreSQL, with
 * real receivers that record how many requests they had open at once. The
 * poll interval is a minute, so everything here moves by wake-ups alone: a
 * FIFO delivery that waited for the poll would time the test out.
 */
describe.each(['sqlite', 'postgres'])('FIFO endpoints on %s', (db) => {
  let server: TestServer;
  let appId: string;
  const cleanup: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    server = await startTestServer({}, { HOOKWAY_TEST_DB: db, HOOKWAY_POLL_INTERVAL_MS: '60000' });
    appId = (await api(server, 'POST', '/api/v1/app', { name: 'fifo' })).body.id;
  });
  afterAll(async () => {
    await server.close();
  });
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  async function receiver(script?: Parameters<typeof Receiver.start>[0]) {
    const r = await Receiver.start(script);
    cleanup.push(() => r.close());
    return r;
  }

  async function endpoint(body: Record<string, unknown>) {
    const res = await api(server, 'POST', `/api/v1/app/${appId}/endpoint`, body);
    expect(res.status).toBe(201);
    return res.body;
  }

  /** Publishes messages 0..n-1 one after the other (each commit before the next), tagged `tag`. */
  async function publish(n: number, tag: string, from = 0): Promise<string[]> {
    const ids: string[] = [];
    for (let i = from; i < from + n; i++) {
      const res = await api(server, 'POST', `/api/v1/app/${appId}/msg`, { eventType: `fifo.${tag}`, payload: { i } });
      expect(res.status).toBe(202);
      ids.push(res.body.id);
    }
    return ids;
  }

  const order = (r: Receiver) => r.received.map((x) => (JSON.parse(x.body) as { i: number }).i);
  const fifoOf = async (epId: string) => (await api(server, 'GET', `/api/v1/app/${appId}/endpoint/${epId}/fifo`)).body;

  it('delivers 50 messages in creation order, one request at a time; a filter applies as usual', async () => {
    const r = await receiver(() => ({ status: 200, delayMs: 3 }));
    const even = await receiver();
    const ep = await endpoint({ url: r.url, fifo: true, filterTypes: ['fifo.order'] });
    expect(ep.fifo).toBe(true);
    await endpoint({ url: even.url, fifo: true, filterTypes: ['fifo.order'], filter: 'payload.i % 2 == 0' });
    // Published from several clients at once too: group commits number a whole batch in arrival order.
    await publish(20, 'order');
    const burst = await Promise.all(
      Array.from({ length: 30 }, (_, k) =>
        api(server, 'POST', `/api/v1/app/${appId}/msg`, { eventType: 'fifo.order', payload: { i: 20 + k } }),
      ),
    );
    expect(burst.every((b) => b.status === 202)).toBe(true);
    await waitFor(() => r.received.length >= 50 && even.received.length >= 25);
    await waitFor(async () => (await fifoOf(ep.id)).head === null);
    expect(order(r).slice(0, 20)).toEqual([...Array(20).keys()]);
    expect(order(r)).toHaveLength(50);
    expect(new Set(order(r))).toEqual(new Set([...Array(50).keys()]));
    expect(r.maxInFlight).toBe(1);
    expect(order(even).slice(0, 10)).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(even.received).toHaveLength(25);
    expect(await fifoOf(ep.id)).toEqual({ fifo: true, held: false, head: null, waiting: 0 });
  });

  it('a message that fails holds the ones behind it until it succeeds, and the queue shows what holds it', async () => {
    let fails = 0;
    const r = await receiver((req) => {
      if ((JSON.parse(req.body) as { i: number }).i === 3 && fails < 2) {
        fails++;
        return { status: 500, body: 'not yet' };
      }
      return { status: 200 };
    });
    const ep = await endpoint({ url: r.url, fifo: true, filterTypes: ['fifo.hold'], retrySchedule: [1, 1, 1] });
    const ids = await publish(8, 'hold');
    const held = await waitFor(async () => {
      const q = await fifoOf(ep.id);
      return q.held ? q : null;
    });
    expect(held.head).toMatchObject({ msgId: ids[3], eventType: 'fifo.hold', state: 'retrying', attempts: 1 });
    expect(held.head.lastAttempt).toMatchObject({ responseStatusCode: 500, response: 'not yet', status: 2 });
    expect(Date.parse(held.head.nextAttempt)).toBeGreaterThan(Date.now() - 1000);
    expect(held.waiting).toBe(4);
    expect(order(r)).toEqual([0, 1, 2, 3]);
    await waitFor(() => r.received.length >= 10);
    expect(order(r)).toEqual([0, 1, 2, 3, 3, 3, 4, 5, 6, 7]);
    expect(r.maxInFlight).toBe(1);
    // The last answer is in; once its attempt is recorded, the queue is empty.
    await waitFor(async () => (await fifoOf(ep.id)).head === null);
    expect(await fifoOf(ep.id)).toEqual({ fifo: true, held: false, head: null, waiting: 0 });
  });

  it('an exhausted message lets the next go, stays replayable, and a resend joins the back', async () => {
    let healed = false;
    const r = await receiver((req) =>
      (JSON.parse(req.body) as { i: number }).i === 1 && !healed ? { status: 500 } : { status: 200 },
    );
    const ep = await endpoint({ url: r.url, fifo: true, filterTypes: ['fifo.exhaust'], retrySchedule: [0] });
    const ids = await publish(5, 'exhaust');
    await waitFor(() => r.received.length >= 6);
    expect(order(r)).toEqual([0, 1, 1, 2, 3, 4]);
    const dest = (await api(server, 'GET', `/api/v1/app/${appId}/msg/${ids[1]}/endpoint`)).body.data[0];
    expect(dest.deliveryState).toBe('exhausted');
    healed = true;
    // Queue two more first: the resend goes behind them.
    const more = await publish(2, 'exhaust', 5);
    const resend = await api(server, 'POST', `/api/v1/app/${appId}/msg/${ids[1]}/endpoint/${ep.id}/resend`);
    expect(resend.status).toBe(202);
    await waitFor(() => r.received.length >= 9);
    expect(order(r).slice(6)).toEqual([5, 6, 1]);
    expect(more).toHaveLength(2);
    const attempts = await waitFor(async () => {
      const list = (await api(server, 'GET', `/api/v1/app/${appId}/attempt/msg/${ids[1]}?order=ascending`)).body.data;
      return list.length >= 3 ? list : null;
    });
    expect(attempts.map((a: { status: number; triggerType: number }) => [a.status, a.triggerType])).toEqual([
      [2, 0],
      [2, 0],
      [0, 1],
    ]);
  });

  it('other endpoints keep flowing while a FIFO endpoint is held', async () => {
    const r = await receiver(() => ({ status: 500, body: 'down' }));
    const plain = await receiver(() => ({ status: 200, delayMs: 100 }));
    const ep = await endpoint({ url: r.url, fifo: true, filterTypes: ['fifo.side'], retrySchedule: [30] });
    const plainEp = await endpoint({ url: plain.url, filterTypes: ['fifo.side'] });
    const ids = await publish(10, 'side');
    await waitFor(() => plain.received.length >= 10);
    // Not FIFO: sent side by side, not one after the other.
    expect(plain.maxInFlight).toBeGreaterThan(1);
    const q = await waitFor(async () => {
      const s = await fifoOf(ep.id);
      return s.held ? s : null;
    });
    expect(q).toMatchObject({ held: true, waiting: 9, head: { msgId: ids[0], attempts: 1, state: 'retrying' } });
    expect(q.head.lastAttempt.errorKind).toBe('http_error');
    expect(r.received).toHaveLength(1);
    // A plain endpoint's queue answers too: nothing held.
    expect(await fifoOf(plainEp.id)).toEqual({ fifo: false, held: false, head: null, waiting: 0 });
  });

  it('a broker destination gets the messages of a FIFO endpoint in order', async () => {
    const s = await redisStream('fifo');
    cleanup.push(() => s.close());
    await endpoint({ url: `redis://127.0.0.1:6379/0?stream=${s.stream}`, fifo: true, filterTypes: ['fifo.broker'] });
    const ids = await publish(15, 'broker');
    const entries = await waitFor(async () => {
      const e = await s.entries();
      return e.length >= 15 ? e : null;
    });
    expect(entries.map((e) => e['webhook-id'])).toEqual(ids);
  });
});
