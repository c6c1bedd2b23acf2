// Inbound benchmark: verified-and-stored webhooks per second through `POST /in/{source}`
// (GitHub HMAC verification, dedupe, raw body stored, forwarding message queued,
// answered after the group commit) against a bare Fastify route that answers 200
// without work, both measured in this run with the same load generator.
//
//   npm run build && node bench/inbound.mjs [--seconds 10] [--concurrency 64] [--no-forward]
//
// `runInboundBench({seconds})` returns the figures for bench/run.mjs.
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { Pool } from 'undici';
import { machine, percentile, ROOT, startReceiver, startServer } from './lib.mjs';

const SECRET = 'bench-github-webhook-secret';
const TOKEN = 'hw_bench_inbound_admin_token_0123456789';

/** Posts for `seconds` with `concurrency` requests in flight; returns rate and latency. */
export async function drive({ url, path, seconds, concurrency, request }) {
  const pool = new Pool(url, { connections: concurrency, pipelining: 1 });
  const latencies = [];
  let ok = 0;
  let failed = 0;
  const statuses = {};
  let n = 0;
  // A short warm-up (JIT, connections, SQLite page cache) that is not counted.
  const warmUntil = performance.now() + Math.min(1000, seconds * 200);
  let until = Infinity;
  const started = { at: 0 };
  const worker = async () => {
    for (;;) {
      const now = performance.now();
      if (now >= until) return;
      if (until === Infinity && now >= warmUntil) {
        until = now + seconds * 1000;
        started.at = now;
        latencies.length = 0;
        ok = 0;
        failed = 0;
        for (const k of Object.keys(statuses)) delete statuses[k];
      }
      const { headers, body } = request(n++);
      const t0 = performance.now();
      const res = await pool.request({ method: 'POST', path, headers, body });
      await res.body.text();
      const t1 = performance.now();
      if (until === Infinity) continue;
      latencies.push(t1 - t0);
      if (res.statusCode === 200) ok++;
      else {
        failed++;
        statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = performance.now() - started.at;
  await pool.close();
  latencies.sort((a, b) => a - b);
  const round = (x) => Math.round(x * 100) / 100;
  return {
    perSecond: Math.round((ok * 1000) / ms),
    ok,
    failed,
    failedByStatus: statuses,
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
  };
}

/** Open loop: `rate` requests per second for `seconds`, whatever the answers; answer latency p50/p99. */
export async function steady({ url, path, rate, seconds, request, offset }) {
  const pool = new Pool(url, { connections: 64 });
  const latencies = [];
  let failed = 0;
  const start = performance.now();
  const inflight = [];
  for (let i = 0; i < rate * seconds; i++) {
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const { headers, body } = request(offset + i);
    const t0 = performance.now();
    inflight.push(
      pool.request({ method: 'POST', path, headers, body }).then(async (res) => {
        await res.body.text();
        if (res.statusCode === 200) latencies.push(performance.now() - t0);
        else failed++;
      }),
    );
  }
  await Promise.all(inflight);
  await pool.close();
  latencies.sort((a, b) => a - b);
  const round = (x) => Math.round(x * 100) / 100;
  return {
    rate,
    ok: latencies.length,
    failed,
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
  };
}

export function githubRequest(i) {
  const body = JSON.stringify({
    action: 'opened',
    number: i,
    pull_request: { id: 1_000_000 + i, title: `Bench PR ${i}`, user: { login: 'octocat' } },
    repository: { full_name: 'acme/web' },
  });
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'pull_request',
      'x-github-delivery': `bench-${process.pid}-${i}`,
      'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
    },
  };
}

/** The baseline: Fastify from node_modules, one route, in its own process like Hookway. */
async function startBareFastify() {
  const code = `
    import Fastify from 'fastify';
    const app = Fastify({ logger: false });
    app.post('/in/bare', async () => ({ success: true }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    console.log('URL ' + 'http://127.0.0.1:' + app.server.address().port);
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /URL (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (c) => reject(new Error(`bare fastify exited ${c}`)));
  });
  return {
    url,
    stop: () =>
      new Promise((r) => {
        child.once('exit', r);
        child.kill('SIGTERM');
      }),
  };
}

async function call(url, method, path, body) {
  const res = await fetch(url + path, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** `forward: false` runs without an ingest endpoint: verify + dedupe + store only, no delivery work in the server. */
export async function runInboundBench({ seconds = 10, concurrency = 64, forward = true } = {}) {
  const bare = await startBareFastify();
  let baseline;
  try {
    baseline = await drive({ url: bare.url, path: '/in/bare', seconds, concurrency, request: githubRequest });
  } finally {
    await bare.stop();
  }

  let forwarded = 0;
  const receiver = await startReceiver(() => {
    forwarded++;
  });
  const server = await startServer({ HOOKWAY_ADMIN_TOKEN: TOKEN });
  let hookway;
  let atRate;
  let stored;
  try {
    const source = await call(server.url, 'POST', '/ingest/api/v1/source', {
      name: 'bench',
      type: 'github',
      config: { secret: SECRET },
    });
    if (forward) await call(server.url, 'POST', `/ingest/api/v1/source/${source.id}/endpoint`, { url: receiver.url });
    hookway = await drive({ url: server.url, path: `/in/${source.id}`, seconds, concurrency, request: githubRequest });
    // "Answered in milliseconds" is about latency at a steady load, not at saturation.
    atRate = await steady({
      url: server.url,
      path: `/in/${source.id}`,
      rate: 500,
      seconds: Math.max(3, Math.round(seconds / 2)),
      request: githubRequest,
      offset: 10_000_000,
    });
    const stats = await fetch(`${server.url}/ingest/api/v1/source/${source.id}/stats`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    }).then((r) => r.json());
    stored = stats.total_events;
  } finally {
    await server.stop();
    await receiver.close();
  }
  return {
    machine: machine(),
    seconds,
    concurrency,
    database: 'sqlite (synchronous=FULL, group commit)',
    forwarding: forward,
    bareFastify: baseline,
    hookway: { ...hookway, storedTotal: stored, forwardedDuringRun: forwarded },
    steady: atRate,
    ratio: Math.round((hookway.perSecond / baseline.perSecond) * 100) / 100,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const r = await runInboundBench({
    seconds: arg('--seconds', 10),
    concurrency: arg('--concurrency', 64),
    forward: !process.argv.includes('--no-forward'),
  });
  const fmt = (n) => n.toLocaleString('en-US');
  console.log(`Inbound benchmark on ${r.machine} (${r.seconds} s each, ${r.concurrency} in flight)`);
  console.log(
    `  bare Fastify route (200, no work): ${fmt(r.bareFastify.perSecond)} req/s, p50 ${r.bareFastify.p50Ms} ms, p99 ${r.bareFastify.p99Ms} ms`,
  );
  console.log(
    `  Hookway POST /in (github HMAC verify + dedupe + store${r.forwarding ? ' + queue, forwarding live' : ', no endpoint'}, ${r.database}): ${fmt(r.hookway.perSecond)} events/s, p50 ${r.hookway.p50Ms} ms, p99 ${r.hookway.p99Ms} ms (${fmt(r.hookway.failed)} non-200 ${JSON.stringify(r.hookway.failedByStatus)})`,
  );
  console.log(`  ratio Hookway / bare: ${r.ratio}`);
  console.log(
    `  Hookway at a steady ${r.steady.rate} events/s: answer p50 ${r.steady.p50Ms} ms, p99 ${r.steady.p99Ms} ms (${fmt(r.steady.failed)} non-200)`,
  );
  console.log(
    `  stored ${fmt(r.hookway.storedTotal)} events in total (incl. warm-up); ${fmt(r.hookway.forwardedDuringRun)} forwarded to the receiver meanwhile`,
  );
}
