import { afterEach, describe, expect, it } from 'vitest';
import { api, type TestServer, waitFor } from '../helpers/server.js';
import { createApp, createEndpoint, opsHarness, publish } from './helpers.js';

/** Strict Prometheus text exposition (0.0.4): HELP/TYPE comments and `name{labels} value` samples only. */
const HELP = /^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*$/;
const TYPE = /^# TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram|summary|untyped)$/;
const SAMPLE =
  /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")(,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")*\})? (-?[0-9.eE+-]+|NaN|\+Inf|-Inf)( -?\d+)?$/;

function parsePrometheus(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      if (!HELP.test(line) && !TYPE.test(line)) throw new Error(`bad comment line: ${line}`);
      continue;
    }
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`bad sample line: ${line}`);
    const key = line.slice(0, line.lastIndexOf(' '));
    samples.set(key, Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return samples;
}

async function knownLoad(h: ReturnType<typeof opsHarness>, server: TestServer) {
  const ok = await h.receiver(() => ({ status: 200, body: 'ok' }));
  const bad = await h.receiver(() => ({ status: 500, body: 'no' }));
  const app = await createApp(server);
  const good = await createEndpoint(server, app.id, { url: ok.url, filterTypes: ['ok.event'] });
  const failing = await createEndpoint(server, app.id, {
    url: bad.url,
    filterTypes: ['bad.event'],
    retrySchedule: [0],
  });
  for (let i = 0; i < 30; i++) await publish(server, app.id, { i }, 'ok.event');
  for (let i = 0; i < 10; i++) await publish(server, app.id, { i }, 'bad.event');
  const store = server.hw.store;
  await waitFor(
    async () =>
      (await store.countDeliveries({ status: 'succeeded' })) === 30 &&
      (await store.countDeliveries({ status: 'exhausted' })) === 10,
  );
  return { app, good, failing };
}

describe('metrics and stats', () => {
  const h = opsHarness();
  afterEach(() => h.close());

  it('/metrics parses as Prometheus text and its counters match the attempts in the database', async () => {
    const server = await h.server({ HOOKWAY_BREAKER_MIN_ATTEMPTS: '1000' });
    const { app } = await knownLoad(h, server);

    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${server.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = parsePrometheus(await res.text());

    const all = (
      await api(
        server,
        'GET',
        `/api/v1/app/${app.id}/attempt/endpoint/${(await server.hw.store.listEndpoints(app.id, { limit: 10 })).data[0]!.id}?limit=250`,
      )
    ).body.data;
    expect(all.length).toBeGreaterThan(0);
    const db = { success: 0, fail: 0 };
    for (const ep of (await server.hw.store.listEndpoints(app.id, { limit: 10 })).data) {
      const page = await server.hw.store.listAttempts(app.id, { endpointId: ep.id }, { limit: 1000 });
      for (const a of page.data) a.status === 'succeeded' ? db.success++ : db.fail++;
    }
    expect(db).toEqual({ success: 30, fail: 20 });
    expect(samples.get('hookway_attempts_total{outcome="succeeded",status_class="2xx"}')).toBe(db.success);
    expect(samples.get('hookway_attempts_total{outcome="failed",status_class="5xx"}')).toBe(db.fail);
    expect(samples.get('hookway_messages_created_total{source="api"}')).toBe(40);
    expect(samples.get('hookway_delivery_latency_seconds_count')).toBe(30);
    expect(samples.get('hookway_queue_depth')).toBe(0);
    expect(samples.get('hookway_queue_oldest_due_age_seconds')).toBe(0);
  });

  it('HOOKWAY_METRICS_PUBLIC serves /metrics without a token', async () => {
    const server = await h.server({ HOOKWAY_METRICS_PUBLIC: 'true' });
    expect((await fetch(`${server.url}/metrics`)).status).toBe(200);
  });

  it('stats: overview, per app, per event type and per endpoint (Svix shape)', async () => {
    const server = await h.server({ HOOKWAY_BREAKER_MIN_ATTEMPTS: '1000' });
    const { app, good, failing } = await knownLoad(h, server);
    const overview = (await api(server, 'GET', '/api/v1/stats/overview?days=1&granularity=hour')).body;
    // 30 deliveries succeeded at once; 10 were exhausted after 2 failed attempts each.
    expect(overview).toMatchObject({
      deliveries: { total: 40, succeeded: 30, exhausted: 10, retrying: 0, pending: 0, sending: 0 },
      attempts: { total: 50, succeeded: 30, failed: 20, byErrorKind: { http_error: 20 } },
      successRate: 0.6,
      queueDepth: 0,
      inbound24h: 0,
    });
    expect(overview.series.reduce((n: number, p: any) => n + p.succeeded, 0)).toBe(30);
    expect(overview.series.reduce((n: number, p: any) => n + p.failed, 0)).toBe(20);
    expect(overview.failingEndpoints).toEqual([
      expect.objectContaining({ appId: app.id, endpointId: failing.id, url: failing.url, state: 'exhausted' }),
    ]);
    // Durations: the mean and the nearest-rank p95 of the attempts the database holds.
    const durations: number[] = [];
    for (const ep of [good, failing]) {
      const page = await server.hw.store.listAttempts(app.id, { endpointId: ep.id }, { limit: 1000 });
      durations.push(...page.data.map((a) => a.responseDurationMs));
    }
    durations.sort((a, b) => a - b);
    expect(overview.avgDurationMs).toBe(Math.round(durations.reduce((a, b) => a + b, 0) / durations.length));
    expect(overview.p95DurationMs).toBe(durations[Math.ceil(durations.length * 0.95) - 1]);

    const perType = (await api(server, 'GET', `/api/v1/app/${app.id}/stats?event_type=bad.event&days=7`)).body;
    expect(perType).toMatchObject({
      deliveries: { total: 10, succeeded: 0, exhausted: 10 },
      attempts: { total: 20, failed: 20 },
      granularity: 'day',
    });
    expect(perType.series).toHaveLength(8);

    const svix = (await api(server, 'GET', `/api/v1/app/${app.id}/endpoint/${good.id}/stats`)).body;
    expect(svix).toMatchObject({ success: 30, pending: 0, sending: 0, fail: 0, deliveries: { total: 30 } });
    const bad = (await api(server, 'GET', `/api/v1/app/${app.id}/endpoint/${failing.id}/stats`)).body;
    expect(bad).toMatchObject({
      success: 0,
      fail: 10,
      failingEndpoints: [expect.objectContaining({ endpointId: failing.id })],
    });
    const since = new Date(Date.now() - 7_200_000).toISOString();
    const until = new Date(Date.now() - 3_600_000).toISOString();
    const none = (
      await api(server, 'GET', `/api/v1/app/${app.id}/endpoint/${good.id}/stats?since=${since}&until=${until}`)
    ).body;
    expect(none.success).toBe(0);
    const ep = (await api(server, 'GET', `/api/v1/app/${app.id}/endpoint/${failing.id}`)).body;
    expect(ep.status).toBe('failing');
  });
});
