// Engine probe (profiling aid): a steady rate of messages, every other one to an endpoint
// whose server accepts connections and never answers; prints the healthy endpoint's
// create-to-delivered p50/p99, with the same rate to the healthy endpoint alone as baseline.
// `node bench/engine-probe.mjs [rate] [seconds]`; BENCH_PROFILE_DIR profiles the server.
import { createServer } from 'node:net';
import { Pool } from 'undici';
import { percentile, startReceiver, startServer } from './lib.mjs';

const TOKEN = 'hw_bench_token_0123456789abcdef0123456789';
const AUTH = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const rate = Number(process.argv[2] ?? 1000);
const seconds = Number(process.argv[3] ?? 8);

async function json(url, method, path, body) {
  const res = await fetch(url + path, { method, headers: AUTH, body: body && JSON.stringify(body) });
  return res.json();
}

async function run(withDead) {
  const sockets = new Set();
  const dead = createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.resume();
  });
  await new Promise((r) => dead.listen(0, '127.0.0.1', r));
  const arrivedAt = new Map();
  const receiver = await startReceiver((h, at) => arrivedAt.set(h['webhook-id'], at));
  const server = await startServer({ HOOKWAY_ADMIN_TOKEN: TOKEN, HOOKWAY_API_RATE_LIMIT: '1000000' });
  const app = await json(server.url, 'POST', '/api/v1/app', { name: 'probe' });
  await json(server.url, 'POST', `/api/v1/app/${app.id}/endpoint`, { url: receiver.url, filterTypes: ['ok.x'] });
  await json(server.url, 'POST', `/api/v1/app/${app.id}/endpoint`, {
    url: `http://127.0.0.1:${dead.address().port}/hook`,
    filterTypes: ['dead.x'],
  });
  const pool = new Pool(server.url, { connections: 64 });
  const body = (t) => JSON.stringify({ eventType: t, payload: { hello: 'world' } });
  const post = (t) => pool.request({ method: 'POST', path: `/api/v1/app/${app.id}/msg`, headers: AUTH, body: body(t) });
  for (let i = 0; i < 1000; i++) await (await post('ok.x')).body.text();
  await new Promise((r) => setTimeout(r, 500));
  arrivedAt.clear();
  const sentAt = new Map();
  const inflight = [];
  const total = rate * seconds;
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const healthy = !withDead || i % 2 === 0;
    const t = performance.now();
    inflight.push(
      post(healthy ? 'ok.x' : 'dead.x').then(async (res) => {
        const m = await res.body.json();
        if (healthy) sentAt.set(m.id, t);
      }),
    );
  }
  await Promise.all(inflight);
  await new Promise((r) => setTimeout(r, 1500));
  await pool.close();
  await server.stop();
  await receiver.close();
  for (const s of sockets) s.destroy();
  dead.close();
  const lat = [];
  for (const [id, t] of sentAt) {
    const at = arrivedAt.get(id);
    if (at !== undefined) lat.push(at - t);
  }
  lat.sort((a, b) => a - b);
  return {
    matched: lat.length,
    sent: sentAt.size,
    p50: +percentile(lat, 50).toFixed(1),
    p99: +percentile(lat, 99).toFixed(1),
  };
}

const base = await run(false);
const iso = await run(true);
console.log(JSON.stringify({ rate, seconds, healthyAlone: base, withDeadEndpoint: iso }));
