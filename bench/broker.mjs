// Broker benchmark: RabbitMQ publish rate with publisher confirms, through Hookway (create message ->
// persistent, mandatory, confirmed publish) against a bare amqplib publisher with confirms, same run.
import { randomBytes } from 'node:crypto';
import amqp from 'amqplib';
import { closedLoop, startServer } from './lib.mjs';
import { HOOKWAY_BENCH_ENV } from './systems.mjs';

const TOKEN = 'hw_bench_token_0123456789abcdef0123456789';
const AUTH = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const RABBIT = 'amqp://guest:guest@127.0.0.1:5672';
/** Hookway's default in-flight cap per endpoint (HOOKWAY_ENDPOINT_CONCURRENCY): the baseline uses the same window. */
const WINDOW = 16;

/** A fresh direct exchange and queue; `arrived()` resolves when `total` messages have reached the consumer. */
async function target(total) {
  const conn = await amqp.connect(RABBIT);
  const ch = await conn.createChannel();
  const name = `hookway-bench-${randomBytes(4).toString('hex')}`;
  await ch.assertExchange(name, 'direct', { durable: false });
  await ch.assertQueue(name, { durable: false });
  await ch.bindQueue(name, name, 'bench');
  let count = 0;
  let lastAt = 0;
  let resolve;
  const all = new Promise((r) => {
    resolve = r;
  });
  await ch.consume(
    name,
    () => {
      count++;
      lastAt = performance.now();
      if (count === total) resolve();
    },
    { noAck: true },
  );
  return {
    exchange: name,
    count: () => count,
    lastAt: () => lastAt,
    arrived: (ms) => Promise.race([all, new Promise((r) => setTimeout(r, ms))]),
    async close() {
      await ch.deleteQueue(name);
      await ch.deleteExchange(name);
      await conn.close();
    },
  };
}

/** The baseline: one connection, one confirm channel, `WINDOW` confirmed publishes in flight. */
async function barePublisher(total) {
  const t = await target(total);
  const conn = await amqp.connect(RABBIT);
  const ch = await conn.createConfirmChannel();
  const body = Buffer.from(JSON.stringify({ hello: 'world', n: 1 }));
  let next = 0;
  let confirmed = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < total) {
      const i = next++;
      await new Promise((res, rej) =>
        ch.publish(
          t.exchange,
          'bench',
          body,
          { persistent: true, mandatory: true, messageId: `msg_${i}`, contentType: 'application/json' },
          (err) => (err ? rej(err) : res()),
        ),
      );
      confirmed++;
    }
  };
  await Promise.all(Array.from({ length: WINDOW }, worker));
  const confirmMs = performance.now() - t0;
  await t.arrived(60_000);
  const result = {
    confirmedPerSecond: Math.round((confirmed / confirmMs) * 1000),
    consumedPerSecond: Math.round((t.count() / (t.lastAt() - t0)) * 1000),
    consumed: t.count(),
  };
  await conn.close();
  await t.close();
  return result;
}

/** Hookway: POST `total` messages (64 in flight) to one RabbitMQ endpoint; time until the consumer has all. */
async function throughHookway(total) {
  const t = await target(total);
  const server = await startServer({ HOOKWAY_ADMIN_TOKEN: TOKEN, ...HOOKWAY_BENCH_ENV });
  const call = async (path, body) =>
    (await fetch(server.url + path, { method: 'POST', headers: AUTH, body: JSON.stringify(body) })).json();
  const app = await call('/api/v1/app', { name: 'bench' });
  await call(`/api/v1/app/${app.id}/endpoint`, { url: `${RABBIT}/?exchange=${t.exchange}&routingKey=bench` });
  const u = new URL(server.url);
  const body = JSON.stringify({ eventType: 'bench.event', payload: { hello: 'world', n: 1 } });
  const t0 = performance.now();
  const request = { method: 'POST', path: `/api/v1/app/${app.id}/msg`, headers: AUTH, body };
  const r = await closedLoop({ origin: u.origin, total, concurrency: 64, request: () => request });
  await t.arrived(120_000);
  const result = {
    accepted: r.ok,
    consumed: t.count(),
    deliveredPerSecond: Math.round((t.count() / (t.lastAt() - t0)) * 1000),
  };
  await server.stop();
  await t.close();
  return result;
}

export async function runBrokerBench({ total = 10_000 } = {}) {
  const bare = await barePublisher(total);
  const hookway = await throughHookway(total);
  return { total, window: WINDOW, bare, hookway };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes('--quick');
  console.log(JSON.stringify(await runBrokerBench(quick ? { total: 2000 } : {}), null, 2));
}
