// Outbound benchmark: messages accepted/s, delivered/s and create-to-delivered latency,
// against a raw baseline (the same load generator posting straight to the same receiver).
import pg from 'pg';
import { load, percentile, startReceiver, startServer } from './lib.mjs';

const TOKEN = 'hw_bench_token_0123456789abcdef0123456789';
const AUTH = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

async function json(url, method, path, body) {
  const res = await fetch(url + path, { method, headers: AUTH, body: body && JSON.stringify(body) });
  return res.json();
}

async function freshPgDatabase(name) {
  const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return `postgres://postgres@127.0.0.1:5432/${name}`;
}

export async function rawBaseline({ total, concurrency }) {
  let received = 0;
  const receiver = await startReceiver(() => received++);
  const u = new URL(receiver.url);
  const body = JSON.stringify({ eventType: 'bench.event', payload: { hello: 'world', n: 1 } });
  const r = await load({
    url: u.origin,
    path: u.pathname,
    headers: { 'content-type': 'application/json' },
    total,
    concurrency,
    body: () => ({ text: body }),
  });
  await receiver.close();
  return { perSecond: Math.round((received / r.ms) * 1000) };
}

/** Throughput: post `total` messages as fast as `concurrency` allows; time until all are delivered. */
async function throughput(serverEnv, { total, concurrency }) {
  let delivered = 0;
  let lastAt = 0;
  let allDelivered;
  const done = new Promise((r) => {
    allDelivered = r;
  });
  const receiver = await startReceiver((_h, at) => {
    delivered++;
    lastAt = at;
    if (delivered === total) allDelivered();
  });
  const server = await startServer({ HOOKWAY_ADMIN_TOKEN: TOKEN, ...serverEnv });
  const app = await json(server.url, 'POST', '/api/v1/app', { name: 'bench' });
  await json(server.url, 'POST', `/api/v1/app/${app.id}/endpoint`, { url: receiver.url });
  const u = new URL(server.url);
  const body = JSON.stringify({ eventType: 'bench.event', payload: { hello: 'world', n: 1 } });
  const t0 = performance.now();
  const r = await load({
    url: u.origin,
    path: `/api/v1/app/${app.id}/msg`,
    headers: AUTH,
    total,
    concurrency,
    body: () => ({ text: body }),
  });
  await Promise.race([done, new Promise((r2) => setTimeout(r2, 120_000))]);
  const deliveredMs = lastAt - t0;
  await server.stop();
  await receiver.close();
  return {
    accepted: r.ok,
    acceptedPerSecond: Math.round((r.ok / r.ms) * 1000),
    delivered,
    deliveredPerSecond: Math.round((delivered / deliveredMs) * 1000),
  };
}

/** Latency: a steady `rate` messages/s for `seconds`; create (request sent) to delivered (receiver saw it). */
async function latency(serverEnv, { rate, seconds }) {
  const sentAt = new Map();
  const arrivedAt = new Map();
  const receiver = await startReceiver((h, at) => arrivedAt.set(h['webhook-id'], at));
  const server = await startServer({ HOOKWAY_ADMIN_TOKEN: TOKEN, ...serverEnv });
  const app = await json(server.url, 'POST', '/api/v1/app', { name: 'bench' });
  await json(server.url, 'POST', `/api/v1/app/${app.id}/endpoint`, { url: receiver.url });
  const { Pool } = await import('undici');
  const u = new URL(server.url);
  const pool = new Pool(u.origin, { connections: 64 });
  const total = rate * seconds;
  const body = JSON.stringify({ eventType: 'bench.event', payload: { hello: 'world' } });
  // Warm-up, not counted (JIT, lazily compiled schemas and statements, connections).
  for (let i = 0; i < 1000; i++) {
    const res = await pool.request({ method: 'POST', path: `/api/v1/app/${app.id}/msg`, headers: AUTH, body });
    await res.body.text();
  }
  await new Promise((r) => setTimeout(r, 1000));
  arrivedAt.clear();
  const start = performance.now();
  const inflight = [];
  // Open-loop schedule: request i is sent at start + i/rate whatever happened before.
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const t = performance.now();
    inflight.push(
      pool.request({ method: 'POST', path: `/api/v1/app/${app.id}/msg`, headers: AUTH, body }).then(async (res) => {
        const m = await res.body.json();
        // The id is known only from the answer, which may come back after the delivery itself.
        sentAt.set(m.id, t);
      }),
    );
  }
  await Promise.all(inflight);
  await new Promise((r) => setTimeout(r, 2000));
  await pool.close();
  await server.stop();
  await receiver.close();
  const latencies = [];
  for (const [id, t] of sentAt) {
    const at = arrivedAt.get(id);
    if (at !== undefined) latencies.push(at - t);
  }
  latencies.sort((a, b) => a - b);
  return {
    matched: latencies.length,
    sent: total,
    p50: +percentile(latencies, 50).toFixed(1),
    p99: +percentile(latencies, 99).toFixed(1),
  };
}

export async function runOutboundBench({
  total = 20_000,
  concurrency = 64,
  rate = 1000,
  seconds = 10,
  postgres = true,
} = {}) {
  const results = { baseline: await rawBaseline({ total, concurrency }) };
  results.sqlite = {
    throughput: await throughput({}, { total, concurrency }),
    latency: await latency({}, { rate, seconds }),
  };
  if (postgres) {
    const url = await freshPgDatabase('hookway_bench');
    results.postgres = {
      throughput: await throughput({ HOOKWAY_DATABASE_URL: url }, { total, concurrency }),
      latency: await latency({ HOOKWAY_DATABASE_URL: await freshPgDatabase('hookway_bench') }, { rate, seconds }),
    };
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await runOutboundBench(), null, 2));
}
