// Shared pieces of the benchmark harness: a receiver, a load generator, a server process.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { Pool } from 'undici';

export const ROOT = resolve(import.meta.dirname, '..');

export function machine() {
  return `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

/** A receiver answering 200 at once; calls onRequest(headers, receivedAtMs). */
export async function startReceiver(onRequest) {
  const server = createServer((req, res) => {
    const at = performance.now();
    req.resume();
    req.on('end', () => {
      onRequest?.(req.headers, at);
      res.writeHead(200, { 'content-length': '2' });
      res.end('ok');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}/hook`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(r);
      }),
  };
}

/** Posts `total` JSON bodies with `concurrency` in flight; returns the elapsed ms and per-request start times. */
export async function load({ url, path, headers, total, concurrency, body }) {
  const pool = new Pool(url, { connections: concurrency, pipelining: 1 });
  let next = 0;
  let ok = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const b = body(i);
      const res = await pool.request({ method: 'POST', path, headers, body: b.text });
      await res.body.text();
      if (res.statusCode < 300) ok++;
      b.onDone?.(res.statusCode);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = performance.now() - started;
  await pool.close();
  return { ms, ok };
}

/** Starts `hookway serve` from dist/ in its own process (its own core) and waits for its URL. */
export async function startServer(env) {
  const dir = mkdtempSync(join(tmpdir(), 'hookway-bench-'));
  // BENCH_PROFILE_DIR=/tmp/x writes a V8 CPU profile of the server there (where time goes).
  const profile = process.env.BENCH_PROFILE_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
    : [];
  const child = spawn(process.execPath, [...profile, join(ROOT, 'dist/cli/main.js'), 'serve'], {
    env: {
      ...process.env,
      HOOKWAY_DATA_DIR: dir,
      HOOKWAY_DATABASE_URL: `sqlite:${join(dir, 'hookway.db')}`,
      HOOKWAY_PORT: '0',
      HOOKWAY_LOG_LEVEL: 'warn',
      HOOKWAY_ALLOWED_TARGETS: '127.0.0.0/8',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const url = await new Promise((resolveUrl, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /API:\s+(http:\/\/\S+)\/api\/v1/.exec(out);
      if (m) resolveUrl(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
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
