import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { natsStream, RABBIT_PORT, rabbitQueue, redisStream, uniqueName } from '../helpers/brokers.js';
import { withPgClient } from '../helpers/pg.js';
import { api, startTestServer, type TestServer, waitFor } from '../helpers/server.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';

/**
 * Broker endpoints through the whole server, on SQLite and PostgreSQL: created
 * and read over the API (credentials masked, encrypted at rest, kept when the
 * masked value comes back), delivered by the engine to the real brokers with
 * the same attempts, retries and "send test" as HTTP endpoints.
 */
describe.each(['sqlite', 'postgres'])('broker endpoints on %s', (db) => {
  let server: TestServer;
  let appId: string;
  const cleanup: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    server = await startTestServer({}, { HOOKWAY_TEST_DB: db });
    appId = (await api(server, 'POST', '/api/v1/app', { name: 'brokers' })).body.id;
  });
  afterAll(async () => {
    await server.close();
  });
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  async function attemptsOf(msgId: string, endpointId: string, count: number) {
    return waitFor(async () => {
      const path = `/api/v1/app/${appId}/attempt/msg/${msgId}?order=ascending&endpoint_id=${endpointId}`;
      const list = (await api(server, 'GET', path)).body.data;
      return list.length >= count ? (list as any[]) : null;
    });
  }

  /** The stored url and credentials columns of one endpoint, read straight from the database. */
  async function storedRow(id: string): Promise<{ url: string; credentials: string | null }> {
    if (db === 'postgres') {
      const schema = server.hw.config.databaseSchema;
      return withPgClient(async (c) => {
        const { rows } = await c.query(`SELECT url, credentials FROM "${schema}".endpoints WHERE id = $1`, [id]);
        return rows[0];
      });
    }
    const { default: Database } = await import('better-sqlite3');
    const file = server.hw.config.databaseUrl.replace(/^sqlite:/, '');
    const conn = new Database(file, { readonly: true });
    try {
      return conn.prepare('SELECT url, credentials FROM endpoints WHERE id = ?').get(id) as never;
    } finally {
      conn.close();
    }
  }

  it('RabbitMQ: credentials masked in answers, encrypted at rest, kept on a PUT of what was read; delivered and verifiable', async () => {
    const q = await rabbitQueue('paid');
    cleanup.push(() => q.close());
    const url = `amqp://guest:guest@127.0.0.1:${RABBIT_PORT}/?exchange=${q.exchange}&routingKey=paid`;
    const created = await api(server, 'POST', `/api/v1/app/${appId}/endpoint`, {
      url,
      retrySchedule: [1],
      filterTypes: ['invoice.paid'],
    });
    expect(created.status).toBe(201);
    expect(created.body.url).toBe(`amqp://guest:****@127.0.0.1:${RABBIT_PORT}/?exchange=${q.exchange}&routingKey=paid`);
    const row = await storedRow(created.body.id);
    expect(row.url).toBe(created.body.url);
    expect(row.credentials).toMatch(/^enc:v1:/);
    expect(JSON.stringify(row)).not.toContain(':guest@');

    // A Svix-style PUT of what was read keeps the stored password: delivery still authenticates.
    const read = (await api(server, 'GET', `/api/v1/app/${appId}/endpoint/${created.body.id}`)).body;
    expect(read.url).toContain(':****@');
    const put = await api(server, 'PUT', `/api/v1/app/${appId}/endpoint/${created.body.id}`, {
      ...read,
      description: 'orders queue',
    });
    expect(put.status).toBe(200);
    expect(put.body.url).toBe(read.url);
    expect((await storedRow(created.body.id)).credentials).toMatch(/^enc:v1:/);

    const secret = (await api(server, 'GET', `/api/v1/app/${appId}/endpoint/${created.body.id}/secret`)).body.key;
    const msg = (
      await api(server, 'POST', `/api/v1/app/${appId}/msg`, { eventType: 'invoice.paid', payload: { amount: 5 } })
    ).body;
    const [attempt] = await attemptsOf(msg.id, created.body.id, 1);
    expect(attempt.status).toBe(0);
    expect(attempt.responseStatusCode).toBe(202);
    // Attempts show the destination without its userinfo at all.
    expect(attempt.url).toBe(read.url.replace('guest:****@', ''));
    const [m] = await waitFor(async () => {
      const got = await q.read();
      return got.length > 0 ? got : null;
    });
    expect(m!.properties.messageId).toBe(msg.id);
    const headers = m!.properties.headers as Record<string, string>;
    expect(new Webhook(secret).verify(m!.content.toString(), headers as never)).toEqual({ amount: 5 });
  });

  it('refuses a masked credential sent to another host, credentials in HTTP URLs, chat formats and bad parameters', async () => {
    const url = `amqp://guest:guest@127.0.0.1:${RABBIT_PORT}/?exchange=amq.direct&routingKey=x`;
    const ep = (await api(server, 'POST', `/api/v1/app/${appId}/endpoint`, { url, filterTypes: ['never.sent'] })).body;
    const moved = await api(server, 'PATCH', `/api/v1/app/${appId}/endpoint/${ep.id}`, {
      url: `amqp://guest:****@127.0.0.2:${RABBIT_PORT}/?exchange=amq.direct&routingKey=x`,
    });
    expect(moved.status).toBe(422);
    expect(moved.body.detail).toContain('masked');
    const masked = await api(server, 'POST', `/api/v1/app/${appId}/endpoint`, { url: ep.url });
    expect(masked.status).toBe(422);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ url: 'https://user:pw@example.com/hook' }, 'credentials in the URL are not allowed'],
      [{ url, format: 'slack' }, 'broker endpoint uses the standard format'],
      [{ url: `amqp://127.0.0.1:${RABBIT_PORT}/` }, 'exchange'],
      [{ url: 'nats://127.0.0.1:4222' }, 'subject'],
      [{ url: 'nats://127.0.0.1:4222?subject=a.*' }, 'subject'],
      [{ url: 'redis://127.0.0.1:6379/0?stream=s&maxLen=0' }, 'maxLen'],
      [{ url: 'redis://127.0.0.1:6379/0?stream=s&bogus=1' }, 'unknown parameter'],
      [{ url: 'kafka://127.0.0.1:9092/t' }, 'scheme kafka: is not allowed'],
    ];
    for (const [body, detail] of cases) {
      const res = await api(server, 'POST', `/api/v1/app/${appId}/endpoint`, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.code).toBe('validation');
      expect(res.body.detail).toContain(detail);
    }
  });

  it('NATS: a failed publish (no stream) is retried and recorded, then delivered once the stream exists; send-example publishes svix.ping', async () => {
    const subject = `${uniqueName('late').replace(/-/g, '_')}.events`;
    const ep = (
      await api(server, 'POST', `/api/v1/app/${appId}/endpoint`, {
        url: `nats://127.0.0.1:4222?subject=${subject}`,
        retrySchedule: [1, 1, 1, 1, 1],
        filterTypes: ['order.created'],
      })
    ).body;
    const msg = (
      await api(server, 'POST', `/api/v1/app/${appId}/msg`, { eventType: 'order.created', payload: { n: 1 } })
    ).body;
    const [first] = await attemptsOf(msg.id, ep.id, 1);
    expect(first.status).toBe(2);
    expect(first.errorKind).toBe('unroutable');
    expect(first.errorDetail).toContain(subject);

    const st = await natsStream();
    // A stream on this test's subject, created only now.
    const { jetstreamManager } = await import('@nats-io/jetstream');
    const { connect } = await import('@nats-io/transport-node');
    const nc = await connect({ servers: '127.0.0.1:4222' });
    const jsm = await jetstreamManager(nc);
    const name = `${st.name}_late`;
    await jsm.streams.add({ name, subjects: [subject] });
    cleanup.push(async () => {
      await jsm.streams.delete(name);
      await nc.close();
      await st.close();
    });
    const list = await waitFor(async () => {
      const l = await attemptsOf(msg.id, ep.id, 1);
      return l.some((a) => a.status === 0) ? l : null;
    });
    expect(list.at(-1).status).toBe(0);
    expect((await jsm.streams.info(name)).state.messages).toBe(1);

    const ping = await api(server, 'POST', `/api/v1/app/${appId}/endpoint/${ep.id}/send-example`, {
      eventType: 'svix.ping',
    });
    expect(ping.status).toBe(202);
    const [pinged] = await attemptsOf(ping.body.id, ep.id, 1);
    expect(pinged.status).toBe(0);
    const stored = await jsm.streams.getMessage(name, { last_by_subj: subject });
    expect(stored?.header.get('event-type')).toBe('svix.ping');
    expect(stored?.header.get('Nats-Msg-Id')).toBe(ping.body.id);
  });

  it('Redis: broker unreachable (proxy closed) records failed attempts with the error, then delivers when it returns', async () => {
    const rs = await redisStream();
    cleanup.push(() => rs.close());
    const proxy = await TcpProxy.start(6379);
    cleanup.push(() => proxy.stop());
    await proxy.stop();
    const ep = (
      await api(server, 'POST', `/api/v1/app/${appId}/endpoint`, {
        url: `redis://127.0.0.1:${proxy.port}/0?stream=${rs.stream}`,
        retrySchedule: [1, 1, 1, 1, 1, 1],
        timeoutMs: 1000,
        filterTypes: ['stock.low'],
      })
    ).body;
    const msg = (
      await api(server, 'POST', `/api/v1/app/${appId}/msg`, { eventType: 'stock.low', payload: { sku: 'A1' } })
    ).body;
    const failed = await attemptsOf(msg.id, ep.id, 2);
    expect(failed.slice(0, 2).map((a) => [a.status, a.errorKind])).toEqual([
      [2, 'network'],
      [2, 'network'],
    ]);
    expect(failed[0].errorDetail).toContain('ECONNREFUSED');
    await proxy.start();
    await waitFor(async () => (await attemptsOf(msg.id, ep.id, 1)).some((a) => a.status === 0));
    const entries = await rs.entries();
    expect(entries).toHaveLength(1);
    expect(entries[0]!['webhook-id']).toBe(msg.id);
    const dest = (await api(server, 'GET', `/api/v1/app/${appId}/msg/${msg.id}/endpoint`)).body.data;
    expect(dest.find((d: any) => d.id === ep.id).status).toBe(0);
  });
});

describe('broker endpoints without the loopback allowlist', () => {
  it('the OpenAPI document describes broker URLs on endpoint create', async () => {
    const server = await startTestServer();
    try {
      const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as any;
      const op = doc.paths['/api/v1/app/{app_id}/endpoint'].post;
      const url = op.requestBody.content['application/json'].schema.properties.url;
      for (const scheme of ['amqp', 'nats://', 'redis', '****']) expect(url.description).toContain(scheme);
    } finally {
      await server.close();
    }
  });

  it('refuses a private broker host at creation', async () => {
    const server = await startTestServer({}, { HOOKWAY_ALLOWED_TARGETS: '' });
    try {
      const appId = (await api(server, 'POST', '/api/v1/app', { name: 'guarded' })).body.id;
      for (const url of [
        `amqp://guest:guest@127.0.0.1:${RABBIT_PORT}/?exchange=amq.direct&routingKey=x`,
        'nats://10.1.2.3:4222?subject=a.b',
        'redis://localhost:6379/0?stream=s',
      ]) {
        const res = await api(server, 'POST', `/api/v1/app/${appId}/endpoint`, { url });
        expect(res.status, url).toBe(422);
        expect(res.body.detail).toMatch(/loopback|private/);
      }
    } finally {
      await server.close();
    }
  });
});
