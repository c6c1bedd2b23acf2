// The two systems under test behind one shape, so each benchmark row is written once:
// Hookway (`hookway serve` from dist/, SQLite or PostgreSQL) and the Fastify + BullMQ + undici
// peer (bench/peer/). Both expose POST /api/v1/app/:app/msg and answer 202 with the message id,
// which is also the `webhook-id` of its deliveries.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { ROOT, sleep, startServer } from './lib.mjs';

const TOKEN = 'hw_bench_token_0123456789abcdef0123456789';
const HEADERS = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

/**
 * Hookway's rate limits are abuse protection (10,000 requests/s per API key and per inbound
 * source by default); a benchmark that sustains more than that would measure the limiter, so
 * every Hookway server the bench starts turns them off. Nothing else is tuned.
 */
export const HOOKWAY_BENCH_ENV = { HOOKWAY_API_RATE_LIMIT: '0', HOOKWAY_INGEST_RATE_LIMIT: '0' };

async function call(url, method, path, body) {
  const res = await fetch(url + path, { method, headers: HEADERS, body: body && JSON.stringify(body) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** What both systems offer the rows. `pids`: every process doing the system's work (CPU accounting). */
function system(name, url, stop, pid, pids = [pid]) {
  return {
    name,
    url,
    pid,
    pids,
    stop,
    api: (method, path, body) => call(url, method, path, body),
    createApp: () => call(url, 'POST', '/api/v1/app', { name: 'bench' }),
    createEndpoint: (appId, endpointUrl, extra = {}) =>
      call(url, 'POST', `/api/v1/app/${appId}/endpoint`, { url: endpointUrl, ...extra }),
    updateEndpoint: (appId, endpointId, body) => call(url, 'PUT', `/api/v1/app/${appId}/endpoint/${endpointId}`, body),
    /** undici request options for one message; the body is built once by the caller. */
    msg: (appId, body) => ({ method: 'POST', path: `/api/v1/app/${appId}/msg`, headers: HEADERS, body }),
  };
}

let pgCounter = 0;
async function freshPgDatabase() {
  const name = `hookway_bench_${process.pid}_${pgCounter++}`;
  const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    url: `postgres://postgres@127.0.0.1:5432/${name}`,
    drop: async () => {
      const c = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A fresh Hookway server (`db`: 'sqlite' or 'postgres') in its own process. */
export async function startHookway(db = 'sqlite') {
  const database = db === 'postgres' ? await freshPgDatabase() : null;
  const server = await startServer({
    HOOKWAY_ADMIN_TOKEN: TOKEN,
    ...HOOKWAY_BENCH_ENV,
    ...(database && { HOOKWAY_DATABASE_URL: database.url }),
  });
  const stop = async () => {
    await server.stop();
    await database?.drop();
  };
  return system(`hookway-${db}`, server.url, stop, server.pid);
}

async function redisAnswers() {
  try {
    return execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', '6379', 'ping'], { encoding: 'utf8' }).trim() === 'PONG';
  } catch {
    return false;
  }
}

/** The Redis server's pid: its CPU is part of the peer's cost. */
function redisPid() {
  const info = execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', '6379', 'info', 'server'], { encoding: 'utf8' });
  return Number(/process_id:(\d+)/.exec(info)?.[1]);
}

/** Redis on 127.0.0.1:6379 for the peer, started (without persistence) if it is not running. */
export async function ensureRedis() {
  if (await redisAnswers()) return;
  mkdirSync('/var/lib/redis', { recursive: true });
  mkdirSync('/var/log/redis', { recursive: true });
  execFileSync('redis-server', [
    '--daemonize',
    'yes',
    '--bind',
    '127.0.0.1',
    '-::1',
    '--port',
    '6379',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    '/var/lib/redis',
    '--logfile',
    '/var/log/redis/ci.log',
  ]);
  for (let i = 0; i < 50 && !(await redisAnswers()); i++) await sleep(100);
  if (!(await redisAnswers())) throw new Error('Redis did not start on 127.0.0.1:6379');
}

function spawnPeerProcess(file, env, ready) {
  const child = spawn(process.execPath, [join(ROOT, 'bench/peer', file)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const started = new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = ready.exec(out);
      if (m) resolve(m[1] ?? true);
    });
    child.on('exit', (code) => reject(new Error(`peer ${file} exited ${code}: ${out}`)));
  });
  const stop = () =>
    new Promise((r) => {
      if (child.exitCode !== null) return r();
      child.once('exit', r);
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  return { child, started, stop };
}

let peerCounter = 0;
/** The Fastify + BullMQ + undici peer: its API process and its worker process, on a fresh key prefix. */
export async function startPeer() {
  await ensureRedis();
  const env = { PEER_PREFIX: `hookway-bench-peer-${process.pid}-${peerCounter++}` };
  const api = spawnPeerProcess('api.mjs', env, /PEER API (http:\/\/\S+)/);
  const worker = spawnPeerProcess('worker.mjs', env, /PEER WORKER (ready)/);
  const [url] = await Promise.all([api.started, worker.started]);
  const stop = async () => {
    await worker.stop();
    await api.stop(); // the API process deletes the instance's keys on its way out
  };
  return system('peer', url, stop, api.child.pid, [api.child.pid, worker.child.pid, redisPid()]);
}
