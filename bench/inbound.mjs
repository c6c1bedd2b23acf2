// Inbound row: verified-and-stored webhooks per second through `POST /in/{source}` (GitHub
// HMAC-SHA256 verification, dedupe on the delivery id, raw body stored, answered after the
// commit), without and with forwarding to an ingest endpoint, against a bare Fastify route that
// answers 200 without work. Every server runs in its own process; the same generator drives all.
//
//   npm run build && node bench/inbound.mjs [--seconds 10] [--concurrency 64]
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { Pool } from 'undici';
import { machine, now, percentile, ROOT, startReceiver } from './lib.mjs';
import { startHookway } from './systems.mjs';

const SECRET = 'bench-github-webhook-secret';

/** Posts for `seconds` (after a short warm-up that is not counted) with `concurrency` in flight. */
export async function drive({ url, path, seconds, concurrency, request }) {
  const pool = new Pool(url, { connections: concurrency, pipelining: 1 });
  const latencies = [];
  let ok = 0;
  let failed = 0;
  const statuses = {};
  let n = 0;
  const warmUntil = now() + Math.min(1000, seconds * 200);
  let until = Infinity;
  let startedAt = 0;
  const worker = async () => {
    for (;;) {
      const t = now();
      if (t >= until) return;
      if (until === Infinity && t >= warmUntil) {
        until = t + seconds * 1000;
        startedAt = t;
        latencies.length = 0;
        ok = 0;
        failed = 0;
        for (const k of Object.keys(statuses)) delete statuses[k];
      }
      const { headers, body } = request(n++);
      const t0 = now();
      const res = await pool.request({ method: 'POST', path, headers, body });
      await res.body.dump();
      if (until === Infinity) continue;
      latencies.push(now() - t0);
      if (res.statusCode === 200) ok++;
      else {
        failed++;
        statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = now() - startedAt;
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

/** A GitHub `pull_request` delivery, unique per i (dedupe would drop repeats), signed. */
export function githubRequest(i) {
  const body = `{"action":"opened","number":${i},"pull_request":{"id":${1_000_000 + i},"title":"Bench PR ${i}","user":{"login":"octocat"}},"repository":{"full_name":"acme/web"}}`;
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

/** The reference: Fastify from node_modules, one route answering 200, in its own process like Hookway. */
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

/**
 * One measurement: `bare` (the Fastify route), `store` (Hookway /in, no ingest endpoint: verify +
 * dedupe + store) or `forward` (Hookway /in with an ingest endpoint on the receiver, so each
 * event also queues a delivery that the same server sends meanwhile).
 */
export async function inboundRound(kind, receiver, { seconds, concurrency = 64 }) {
  if (kind === 'bare') {
    const bare = await startBareFastify();
    try {
      return await drive({ url: bare.url, path: '/in/bare', seconds, concurrency, request: githubRequest });
    } finally {
      await bare.stop();
    }
  }
  const sys = await startHookway('sqlite');
  try {
    const source = await sys.api('POST', '/ingest/api/v1/source', {
      name: 'bench',
      type: 'github',
      config: { secret: SECRET },
    });
    if (kind === 'forward') {
      await sys.api('POST', `/ingest/api/v1/source/${source.id}/endpoint`, { url: `${receiver.url}/hook/in` });
    }
    await receiver.reset({});
    const r = await drive({ url: sys.url, path: `/in/${source.id}`, seconds, concurrency, request: githubRequest });
    return { ...r, forwardedMeanwhile: (await receiver.stats()).count };
  } finally {
    await sys.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const opts = { seconds: arg('--seconds', 10), concurrency: arg('--concurrency', 64) };
  const receiver = await startReceiver();
  const fmt = (n) => n.toLocaleString('en-US');
  console.log(`Inbound benchmark on ${machine()} (${opts.seconds} s each, ${opts.concurrency} in flight)`);
  const bare = await inboundRound('bare', receiver, opts);
  console.log(`  bare Fastify route: ${fmt(bare.perSecond)} req/s, p50 ${bare.p50Ms} ms, p99 ${bare.p99Ms} ms`);
  for (const kind of ['store', 'forward']) {
    const r = await inboundRound(kind, receiver, opts);
    console.log(
      `  Hookway /in (${kind === 'store' ? 'verify + dedupe + store' : 'verify + dedupe + store + forward'}): ${fmt(r.perSecond)} events/s (${(r.perSecond / bare.perSecond).toFixed(2)}x bare), p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, ${fmt(r.failed)} non-200 ${JSON.stringify(r.failedByStatus)}`,
    );
  }
  await receiver.close();
}
