import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../helpers/ports.js';
import { Receiver } from '../helpers/receiver.js';
import { api, startTestServer, type TestServer, waitFor } from '../helpers/server.js';

/**
 * What the operator sees is true: an endpoint whose every attempt fails
 * (here with `network`: nothing listens on its port) is failing everywhere
 * Hookway reports on it, with the real error, while its delivery waits for
 * its next attempt. Runs on SQLite and PostgreSQL.
 */

const sumOf = (series: { succeeded: number; failed: number }[], key: 'succeeded' | 'failed') =>
  series.reduce((n, p) => n + p[key], 0);

describe.each(['sqlite', 'postgres'])('failures are counted and shown (%s)', (db) => {
  let server: TestServer;
  let ok: Receiver;
  let appId: string;
  let good: { id: string };
  let dead: { id: string; uid: string; url: string };
  let deadMsg: string;
  let okMsgs: string[];

  beforeAll(async () => {
    server = await startTestServer({}, { HOOKWAY_TEST_DB: db });
    ok = await Receiver.start();
    appId = (await api(server, 'POST', '/api/v1/app', { name: 'Shop', uid: 'shop' })).body.id;
    good = (await api(server, 'POST', `/api/v1/app/${appId}/endpoint`, { url: ok.url, filterTypes: ['order.paid'] }))
      .body;
    dead = (
      await api(server, 'POST', `/api/v1/app/${appId}/endpoint`, {
        url: `http://127.0.0.1:${await closedPort()}/hooks/orders`,
        uid: 'orders-dead',
        filterTypes: ['order.failed'],
        // The default schedule from its second step: the next attempt is 5 minutes away, so the
        // delivery stays retrying while the test reads (the first step, 5 s, could fire mid-test).
        retrySchedule: [300, 1800, 7200, 18000, 36000, 36000],
      })
    ).body;
    okMsgs = [];
    for (let i = 0; i < 2; i++) {
      okMsgs.push(
        (await api(server, 'POST', `/api/v1/app/${appId}/msg`, { eventType: 'order.paid', payload: { i } })).body.id,
      );
    }
    deadMsg = (await api(server, 'POST', `/api/v1/app/${appId}/msg`, { eventType: 'order.failed', payload: {} })).body
      .id;
    // Both recorded as delivered (received is not enough: the attempt commits just after).
    await waitFor(async () => {
      const page = (await api(server, 'GET', `/api/v1/app/${appId}/msg`)).body.data;
      return page.filter((m: any) => m.deliveryStatus === 'succeeded').length === 2;
    });
    // The first attempt to the dead endpoint failed and its failure streak is recorded.
    await waitFor(async () => (await api(server, 'GET', `/api/v1/app/${appId}/endpoint/${dead.id}`)).body.failure);
  });
  afterAll(async () => {
    await ok?.close();
    await server?.close();
  });

  it('the overview counts the failed attempt: not 100%, the chart shows it, the endpoint is listed as failing', async () => {
    const o = (await api(server, 'GET', '/api/v1/stats/overview?days=1&granularity=hour')).body;
    expect(o.deliveries).toMatchObject({ total: 3, succeeded: 2, retrying: 1, exhausted: 0, pending: 0 });
    expect(o.attempts).toEqual({ total: 3, succeeded: 2, failed: 1, byErrorKind: { network: 1 } });
    expect(o.successRate).toBeCloseTo(2 / 3, 5);
    expect(sumOf(o.series, 'succeeded')).toBe(2);
    expect(sumOf(o.series, 'failed')).toBe(1);
    expect(o.failingEndpoints).toEqual([
      expect.objectContaining({
        appId,
        appName: 'Shop',
        endpointId: dead.id,
        endpointUid: 'orders-dead',
        url: dead.url,
        state: 'retrying',
        failingSince: null,
        consecutiveFailures: 1,
        lastError: expect.objectContaining({
          errorKind: 'network',
          errorDetail: expect.stringMatching(/ECONNREFUSED/),
          responseStatusCode: 0,
        }),
      }),
    ]);
  });

  it('the endpoint reads failing (retrying), in its own answer and in the list; the healthy one stays healthy', async () => {
    const one = (await api(server, 'GET', `/api/v1/app/${appId}/endpoint/${dead.id}`)).body;
    expect(one.status).toBe('failing');
    expect(one.failure).toMatchObject({ state: 'retrying', consecutiveFailures: 1, failingSince: null });
    const list = (await api(server, 'GET', `/api/v1/app/${appId}/endpoint`)).body.data;
    const byId = Object.fromEntries(list.map((e: any) => [e.id, e]));
    expect(byId[dead.id].status).toBe('failing');
    expect(byId[good.id]).toMatchObject({ status: 'healthy', failure: null });
  });

  it('endpoint stats: Svix counts and Hookway counts agree, and the failed attempt shows', async () => {
    const s = (await api(server, 'GET', `/api/v1/app/${appId}/endpoint/${dead.id}/stats`)).body;
    expect(s).toMatchObject({ success: 0, pending: 1, sending: 0, fail: 0, canceled: 0 });
    expect(s.deliveries).toMatchObject({ total: 1, retrying: 1, succeeded: 0, exhausted: 0 });
    expect(s.attempts).toMatchObject({ total: 1, failed: 1, byErrorKind: { network: 1 } });
    expect(s.successRate).toBe(0);
    expect(s.failingEndpoints).toEqual([expect.objectContaining({ endpointId: dead.id, state: 'retrying' })]);
    expect(s.success).toBe(s.deliveries.succeeded);
    expect(s.fail).toBe(s.deliveries.exhausted);
    expect(s.pending).toBe(s.deliveries.pending + s.deliveries.retrying);
  });

  it('the message shows its delivery status; its destination reads retrying', async () => {
    const page = (await api(server, 'GET', `/api/v1/app/${appId}/msg`)).body.data;
    const status = Object.fromEntries(page.map((m: any) => [m.id, m.deliveryStatus]));
    expect(status).toEqual({ [deadMsg]: 'retrying', [okMsgs[0]!]: 'succeeded', [okMsgs[1]!]: 'succeeded' });
    const one = (await api(server, 'GET', `/api/v1/app/${appId}/msg/${deadMsg}`)).body;
    expect(one).toMatchObject({ deliveryStatus: 'retrying', deliveries: { total: 1, retrying: 1 } });
    const dests = (await api(server, 'GET', `/api/v1/app/${appId}/msg/${deadMsg}/endpoint`)).body.data;
    expect(dests).toEqual([
      expect.objectContaining({ id: dead.id, status: 1, deliveryState: 'retrying', attempts: 1 }),
    ]);
  });

  it('the delivery log lists every endpoint with its full URL, uid and error, and filters', async () => {
    const all = (await api(server, 'GET', `/api/v1/app/${appId}/attempt`)).body.data;
    expect(all).toHaveLength(3);
    expect(new Set(all.map((a: any) => a.url))).toEqual(new Set([ok.url, dead.url]));
    const failed = (await api(server, 'GET', `/api/v1/app/${appId}/attempt?status=2`)).body.data;
    expect(failed).toEqual([
      expect.objectContaining({
        endpointId: dead.id,
        endpointUid: 'orders-dead',
        url: dead.url,
        appId,
        appName: 'Shop',
        eventType: 'order.failed',
        errorKind: 'network',
        errorDetail: expect.stringMatching(/ECONNREFUSED/),
      }),
    ]);
    const byUid = (await api(server, 'GET', `/api/v1/app/${appId}/attempt?endpoint_id=orders-dead`)).body.data;
    expect(byUid.map((a: any) => a.endpointId)).toEqual([dead.id]);
    const byType = (await api(server, 'GET', `/api/v1/app/${appId}/attempt?event_types=order.paid`)).body.data;
    expect(byType.map((a: any) => a.msgId).sort()).toEqual([...okMsgs].sort());
    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await api(server, 'GET', `/api/v1/app/${appId}/attempt?after=${future}`)).body.data).toEqual([]);
    expect((await api(server, 'GET', `/api/v1/app/${appId}/attempt?before=${future}`)).body.data).toHaveLength(3);
    // The admin's log of every application, with the same filters.
    const global = (await api(server, 'GET', '/api/v1/attempt?status=2')).body.data;
    expect(global.map((a: any) => a.endpointId)).toEqual([dead.id]);
    expect((await api(server, 'GET', '/api/v1/attempt?app_id=shop&limit=1')).body).toMatchObject({ done: false });
    expect((await api(server, 'GET', '/api/v1/attempt?app_id=nope')).body.data).toEqual([]);
  });

  it('the metrics count the failed attempt', async () => {
    const text = await (
      await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${server.token}` } })
    ).text();
    expect(text).toContain('hookway_attempts_total{outcome="failed",status_class="none"} 1');
    expect(text).toContain('hookway_attempts_total{outcome="succeeded",status_class="2xx"} 2');
  });

  it('an exhausted delivery: the message, the endpoint and the stats say exhausted', async () => {
    const bad = await Receiver.start(() => ({ status: 503, body: 'down' }));
    try {
      const ep = (
        await api(server, 'POST', `/api/v1/app/${appId}/endpoint`, {
          url: bad.url,
          filterTypes: ['order.refunded'],
          retrySchedule: [0],
        })
      ).body;
      const msg = (await api(server, 'POST', `/api/v1/app/${appId}/msg`, { eventType: 'order.refunded', payload: {} }))
        .body;
      await waitFor(
        async () =>
          (await api(server, 'GET', `/api/v1/app/${appId}/msg/${msg.id}`)).body.deliveryStatus === 'exhausted',
      );
      await waitFor(
        async () =>
          (await api(server, 'GET', `/api/v1/app/${appId}/endpoint/${ep.id}`)).body.failure?.state === 'exhausted',
      );
      const s = (await api(server, 'GET', `/api/v1/app/${appId}/endpoint/${ep.id}/stats`)).body;
      expect(s).toMatchObject({ fail: 1, success: 0, pending: 0, deliveries: { exhausted: 1 } });
      expect(s.attempts).toMatchObject({ failed: 2, byErrorKind: { http_error: 2 } });
      const log = (await api(server, 'GET', `/api/v1/app/${appId}/attempt?endpoint_id=${ep.id}`)).body.data;
      expect(log.map((a: any) => [a.responseStatusCode, a.errorKind])).toEqual([
        [503, 'http_error'],
        [503, 'http_error'],
      ]);
    } finally {
      await bad.close();
    }
  });
});

describe.each(['sqlite', 'postgres'])('stats windows are the window asked for (%s)', (db) => {
  let server: TestServer;
  afterAll(async () => server?.close());

  it('`since` is exact, and one body never contradicts itself', async () => {
    server = await startTestServer({}, { HOOKWAY_TEST_DB: db });
    const r = await Receiver.start();
    try {
      const app = (await api(server, 'POST', '/api/v1/app', { name: 'w' })).body;
      const ep = (await api(server, 'POST', `/api/v1/app/${app.id}/endpoint`, { url: r.url })).body;
      const send = () => api(server, 'POST', `/api/v1/app/${app.id}/msg`, { eventType: 'a.b', payload: {} });
      // Delivered means the attempt is recorded, not just received.
      const delivered = (n: number) =>
        waitFor(async () => {
          const page = (await api(server, 'GET', `/api/v1/app/${app.id}/msg`)).body.data;
          return page.length === n && page.every((m: any) => m.deliveryStatus === 'succeeded');
        });
      await send();
      await send();
      await delivered(2);
      await new Promise((res) => setTimeout(res, 20));
      const between = new Date(Date.now()).toISOString();
      await new Promise((res) => setTimeout(res, 20));
      await send();
      await delivered(3);
      // A window starting between the two batches holds the last message only (the hour it falls in holds all three).
      const s = (
        await api(server, 'GET', `/api/v1/app/${app.id}/endpoint/${ep.id}/stats?since=${encodeURIComponent(between)}`)
      ).body;
      expect(s.since).toBe(between);
      expect(s).toMatchObject({ success: 1, deliveries: { total: 1, succeeded: 1 }, attempts: { total: 1 } });
      expect(sumOf(s.series, 'succeeded')).toBe(1);
      expect(Date.parse(s.series[0].t)).toBeLessThanOrEqual(Date.parse(between));
      const appStats = (await api(server, 'GET', `/api/v1/app/${app.id}/stats?since=${encodeURIComponent(between)}`))
        .body;
      expect(appStats.deliveries.total).toBe(1);
      // Without `since` the endpoint's counts cover Svix's default window; both parts of the body agree.
      const whole = (await api(server, 'GET', `/api/v1/app/${app.id}/endpoint/${ep.id}/stats`)).body;
      expect(whole).toMatchObject({ success: 3, deliveries: { succeeded: 3 }, granularity: 'day' });
      expect(Date.parse(whole.until) - Date.parse(whole.since)).toBe(28 * 86_400_000);
    } finally {
      await r.close();
    }
  });
});

describe.each(['sqlite', 'postgres'])('errors in exports, without credentials (%s)', (db) => {
  let server: TestServer;
  afterAll(async () => server?.close());

  it('attempt exports (CSV and NDJSON) and lists carry errorDetail; URLs never carry userinfo', async () => {
    server = await startTestServer({}, { HOOKWAY_TEST_DB: db });
    const app = (await api(server, 'POST', '/api/v1/app', { name: 'x' })).body;
    // A transformation may send to a URL with credentials: the guard refuses it, and nothing shows them.
    const ep = (
      await api(server, 'POST', `/api/v1/app/${app.id}/endpoint`, {
        url: 'http://127.0.0.1:9/hook',
        retrySchedule: [3600],
        transformation: "(m) => ({ body: m.payload, url: 'http://alice:pa55word@127.0.0.1:9/secret-path' })",
      })
    ).body;
    expect(ep.id).toMatch(/^ep_/);
    await api(server, 'POST', `/api/v1/app/${app.id}/msg`, { eventType: 'a.b', payload: {} });
    const [attempt] = await waitFor(async () => {
      const data = (await api(server, 'GET', `/api/v1/app/${app.id}/attempt`)).body.data;
      return data.length > 0 ? data : null;
    });
    // The attempt record never keeps a credential in clear (it is not an encrypted column); shown without userinfo.
    const stored = (await server.hw.store.listAttempts(app.id, {}, { limit: 1 })).data[0];
    expect(stored?.url).toContain('127.0.0.1:9/secret-path');
    expect(stored?.url).not.toContain('pa55word');
    expect(attempt).toMatchObject({
      url: 'http://127.0.0.1:9/secret-path',
      errorKind: 'blocked',
      errorDetail: expect.stringMatching(/credentials/),
    });
    const csv = await (
      await fetch(`${server.url}/api/v1/app/${app.id}/export/attempts?format=csv`, {
        headers: { authorization: `Bearer ${server.token}` },
      })
    ).text();
    const [head, row] = csv.trim().split('\n');
    expect(head?.split(',')).toContain('errorDetail');
    expect(row).toContain('http://127.0.0.1:9/secret-path');
    expect(row).toMatch(/,blocked,[^,]*credentials/);
    const ndjson = await (
      await fetch(`${server.url}/api/v1/app/${app.id}/export/attempts`, {
        headers: { authorization: `Bearer ${server.token}` },
      })
    ).text();
    expect(JSON.parse(ndjson.trim())).toMatchObject({ errorKind: 'blocked', errorDetail: attempt.errorDetail });
    for (const text of [csv, ndjson, JSON.stringify((await api(server, 'GET', '/api/v1/attempt')).body)]) {
      expect(text).not.toContain('pa55word');
      expect(text).not.toContain('alice');
    }
  });
});
