// Shared pieces of the benchmark harness: the clock, the receiver process, the load generator,
// and the Hookway server process.
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { Pool } from 'undici';

export const ROOT = resolve(import.meta.dirname, '..');

/** CLOCK_MONOTONIC in ms: one clock for every process on the machine (the receiver uses it too). */
export const now = () => Number(process.hrtime.bigint() / 1000n) / 1000;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function machine() {
  return `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

export function median(xs) {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length < xs.length) {
    // An infinite figure (messages never delivered) sorts last, as it should.
    const inf = xs.length - s.length;
    for (let i = 0; i < inf; i++) s.push(Infinity);
  }
  return s.length === 0 ? NaN : s[Math.floor((s.length - 1) / 2)];
}

/**
 * CPU time (user + system, every thread) the processes have used so far, in ms (Linux
 * /proc/PID/stat, clock ticks of 10 ms). Differences over a run give the CPU a system spent on it.
 */
export function cpuMs(pids) {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      // After "pid (comm) ": state is field 0, utime field 11, stime field 12.
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      return NaN;
    }
  }
  return ticks * 10;
}

/** Resident set size of a process in MB (Linux), or NaN once it has gone. */
export function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/**
 * The receiver in its own process (bench/receiver.mjs). `reset({expect, record})` starts a count;
 * `reached` resolves when `expect` deliveries have arrived (or null after `timeoutMs`).
 */
export async function startReceiver() {
  const child = fork(join(ROOT, 'bench/receiver.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let nextId = 1;
  const pending = new Map();
  let onReached = null;
  const ready = new Promise((resolveReady, reject) => {
    child.once('exit', (code) => reject(new Error(`receiver exited ${code}`)));
    child.on('message', (m) => {
      if (m.type === 'ready') resolveReady(m);
      else if (m.type === 'reached') onReached?.(m);
      else if (m.id) {
        pending.get(m.id)?.(m);
        pending.delete(m.id);
      }
    });
  });
  const { url, deadUrl } = await ready;
  const call = (msg) =>
    new Promise((r) => {
      const id = nextId++;
      pending.set(id, r);
      child.send({ ...msg, id });
    });
  let reached = Promise.resolve(null);
  return {
    url,
    deadUrl,
    pid: child.pid,
    async reset({ expect, record = false } = {}) {
      reached = new Promise((r) => {
        onReached = r;
      });
      await call({ type: 'reset', expect, record });
    },
    /** Resolves with {count, firstAt, lastAt} once `expect` arrived, or with the stats so far after timeoutMs. */
    async reached(timeoutMs) {
      let timer;
      const timeout = new Promise((r) => {
        timer = setTimeout(() => r(null), timeoutMs);
      });
      const hit = await Promise.race([reached, timeout]);
      clearTimeout(timer);
      return hit ?? { ...(await call({ type: 'stats' })), timedOut: true };
    },
    stats: () => call({ type: 'stats' }),
    /** Map of webhook-id -> arrival time for a reset({record: true}) round. */
    async arrivals() {
      const { arrivals } = await call({ type: 'dump' });
      const map = new Map();
      for (let i = 0; i < arrivals.length; i += 2) if (!map.has(arrivals[i])) map.set(arrivals[i], arrivals[i + 1]);
      return map;
    },
    close: () =>
      new Promise((r) => {
        child.once('exit', r);
        child.disconnect();
      }),
  };
}

/**
 * Closed loop: `total` POSTs of pre-built bodies with `concurrency` in flight. The answer bodies
 * are discarded unread (dump), so the generator costs little per request.
 */
export async function closedLoop({ origin, total, concurrency, request }) {
  const pool = new Pool(origin, { connections: concurrency, pipelining: 1 });
  let next = 0;
  let ok = 0;
  const failedByStatus = {};
  const started = now();
  const worker = async () => {
    while (next < total) {
      const res = await pool.request(request(next++));
      await res.body.dump();
      if (res.statusCode < 300) ok++;
      else failedByStatus[res.statusCode] = (failedByStatus[res.statusCode] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = now() - started;
  await pool.close();
  return { ms, ok, failedByStatus, startedAt: started };
}

/**
 * Open loop: request i is sent at start + i/rate whatever happened before. Each answer's `id`
 * (the message id, which is also the `webhook-id` of its delivery) is kept with its send time;
 * a request that names its own `id` (the raw floor: its `webhook-id` header) is kept under it and
 * its answer is not read.
 */
export async function openLoop({ origin, rate, seconds, request }) {
  const pool = new Pool(origin, { connections: 64 });
  const total = Math.round(rate * seconds);
  const sent = new Array(total);
  const inflight = [];
  let failed = 0;
  const start = now();
  for (let i = 0; i < total; i++) {
    const wait = start + (i * 1000) / rate - now();
    if (wait > 1) await sleep(wait);
    const t = now();
    const { tag, id, ...req } = request(i);
    inflight.push(
      pool.request(req).then(async (res) => {
        const m = id === undefined ? await res.body.json() : await res.body.dump();
        if (res.statusCode < 300) sent[i] = { id: id ?? m.id, at: t, tag };
        else failed++;
      }),
    );
  }
  await Promise.all(inflight);
  await pool.close();
  return { sent: sent.filter(Boolean), failed, total };
}

/**
 * Latency figures from an openLoop result and the receiver's arrivals. A message that never
 * arrived counts as infinitely late, so a starved endpoint shows as an infinite p99, not as a
 * p99 over the few that made it.
 */
export function latencyOf(sent, arrivals) {
  const lat = sent.map((s) => {
    const at = arrivals.get(s.id);
    return at === undefined ? Infinity : at - s.at;
  });
  lat.sort((a, b) => a - b);
  const r = (x) => (Number.isFinite(x) ? Math.round(x * 100) / 100 : Infinity);
  return {
    sent: sent.length,
    delivered: lat.filter(Number.isFinite).length,
    p50: r(percentile(lat, 50)),
    p99: r(percentile(lat, 99)),
  };
}

/** Starts `hookway serve` from dist/ in its own process and waits for its URL. */
export async function startServer(env) {
  const dir = mkdtempSync(join(tmpdir(), 'hookway-bench-'));
  // BENCH_PROFILE_DIR=/tmp/x writes a V8 CPU profile of the server there (where time goes).
  const profile = process.env.BENCH_PROFILE_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
    : [];
  const flags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...flags, ...profile, join(ROOT, 'dist/cli/main.js'), 'serve'], {
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
    pid: child.pid,
    stop: () =>
      new Promise((r) => {
        child.once('exit', () => {
          rmSync(dir, { recursive: true, force: true });
          r();
        });
        child.kill('SIGTERM');
        // A graceful stop waits for sends in flight; a dead endpoint's never end.
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
