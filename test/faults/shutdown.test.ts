import { once } from 'node:events';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type ServerProcess, spawnServer } from '../helpers/process.js';
import { Receiver, type Script } from '../helpers/receiver.js';
import { api, waitFor } from '../helpers/server.js';
import { tmpDirs } from '../helpers/tmp.js';

/**
 * Graceful shutdown of a real server process on SIGTERM: it stops accepting,
 * lets started sends finish within the grace period, hands back the
 * deliveries it held but had not started (the next start sends them at once,
 * not after the 60 s lease), and exits 0 in bounded time. A send cut off by
 * the grace period is sent again with the same webhook-id; a completed one
 * never is. A second SIGTERM exits at once.
 */

const TOKEN = 'hw_shutdown_token_0123456789abcdef';
const dirs = tmpDirs('hookway-shutdown-');
const running: ServerProcess[] = [];
const receivers: Receiver[] = [];

afterEach(async () => {
  for (const s of running.splice(0)) await s.kill('SIGKILL');
  for (const r of receivers.splice(0)) await r.close();
});
afterAll(() => dirs.cleanup());

async function start(dir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const s = await spawnServer({
    HOOKWAY_DATABASE_URL: `sqlite:${join(dir, 'hookway.db')}`,
    HOOKWAY_PORT: '0',
    HOOKWAY_ADMIN_TOKEN: TOKEN,
    HOOKWAY_ALLOWED_TARGETS: '127.0.0.0/8',
    HOOKWAY_MASTER_KEY: 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
    HOOKWAY_ENDPOINT_CONCURRENCY: '2',
    HOOKWAY_LOG_LEVEL: 'info',
    ...env,
  });
  running.push(s);
  return s;
}

async function receiver(script: Script): Promise<Receiver> {
  const r = await Receiver.start(script);
  receivers.push(r);
  return r;
}

/** Sends SIGTERM and resolves with the exit code and how long the exit took. */
async function terminate(s: ServerProcess): Promise<{ code: number | null; ms: number }> {
  const started = Date.now();
  const exited = once(s.child, 'exit');
  s.child.kill('SIGTERM');
  const [code] = (await exited) as [number | null];
  return { code, ms: Date.now() - started };
}

async function setup(s: ServerProcess, url: string, count: number): Promise<string[]> {
  const node = { url: s.url, token: TOKEN };
  const app = await api(node, 'POST', '/api/v1/app', { name: 'shutdown' });
  await api(node, 'POST', `/api/v1/app/${app.body.id}/endpoint`, { url, timeoutMs: 30_000 });
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await api(node, 'POST', `/api/v1/app/${app.body.id}/msg`, {
      eventType: 'shutdown.test',
      payload: { i },
    });
    expect(res.status).toBe(202);
    ids.push(res.body.id);
  }
  return ids;
}

/** True when a new TCP connection to the port is refused. */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect(port, '127.0.0.1');
    sock.once('connect', () => {
      sock.destroy();
      resolve(false);
    });
    sock.once('error', () => resolve(true));
  });
}

const idsOf = (r: Receiver) => r.received.map((x) => x.headers['webhook-id'] ?? '');

describe('graceful shutdown (SIGTERM)', () => {
  it('lets started sends finish, hands back held deliveries, exits 0; the next start sends the rest at once, none twice', async () => {
    const dir = dirs.make();
    const slow = await receiver(() => ({ status: 200, delayMs: 1_500 }));
    const s = await start(dir, { HOOKWAY_SHUTDOWN_GRACE_MS: '5000' });
    const ids = await setup(s, slow.url, 10);
    await waitFor(() => slow.received.length >= 2, 10_000);
    const exit = terminate(s);
    // Stops accepting (new connections are refused) while the started sends still run.
    const port = Number(new URL(s.url).port);
    await waitFor(() => refused(port), 5_000, 50);
    expect(s.child.exitCode).toBeNull();
    const { code, ms } = await exit;
    console.log(`shutdown with 2 sends in flight (1.5 s each): exit ${code} after ${ms} ms`);
    // Code 0: it finished before the forced exit (grace + 5 s), which exits 1.
    expect(code, s.output()).toBe(0);
    expect(ms).toBeLessThan(10_000);
    expect(s.output()).toMatch(/shut down cleanly/);
    const sentBefore = idsOf(slow);
    expect(sentBefore).toHaveLength(2);

    // The receiver answers at once from now on; the next start must send the rest without waiting.
    slow.script = () => ({ status: 200 });
    await start(dir, { HOOKWAY_POLL_INTERVAL_MS: '60000' });
    const started = Date.now();
    await waitFor(() => slow.received.length >= 10, 30_000);
    // Not after the 60 s lease, nor the 60 s poll: the released deliveries were due at once.
    console.log(`next start: the 8 handed-back deliveries sent within ${Date.now() - started} ms`);
    expect(Date.now() - started).toBeLessThan(10_000);
    await new Promise((r) => setTimeout(r, 500));
    const all = idsOf(slow);
    expect(all.sort()).toEqual([...ids].sort());
  }, 90_000);

  it('cuts off sends still running when the grace period ends, sent again with the same webhook-id; a second SIGTERM exits at once', async () => {
    const dir = dirs.make();
    const hang = await receiver(() => 'hang');
    const s = await start(dir, { HOOKWAY_SHUTDOWN_GRACE_MS: '1000' });
    const ids = await setup(s, hang.url, 2);
    await waitFor(() => hang.received.length >= 2, 10_000);
    const { code, ms } = await terminate(s);
    console.log(`shutdown with 2 hanging sends, 1 s grace: exit ${code} after ${ms} ms`);
    expect(code, s.output()).toBe(0);
    expect(ms).toBeLessThan(6_000);
    expect(s.output()).toMatch(/shutdown grace period over/);

    hang.script = () => ({ status: 200 });
    const s2 = await start(dir, { HOOKWAY_POLL_INTERVAL_MS: '60000', HOOKWAY_SHUTDOWN_GRACE_MS: '30000' });
    await waitFor(() => hang.received.length >= 4, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    // Each cut-off send went out again, once, with the same webhook-id.
    expect(idsOf(hang).sort()).toEqual([...ids, ...ids].sort());
    const node = { url: s2.url, token: TOKEN };
    const app = (await api(node, 'GET', '/api/v1/app')).body.data[0];
    const ep = (await api(node, 'GET', `/api/v1/app/${app.id}/endpoint`)).body.data[0];
    // No failed attempt was recorded for the cut-off sends: they were handed back, not failed.
    const attempts = await api(node, 'GET', `/api/v1/app/${app.id}/attempt/endpoint/${ep.id}`);
    expect(attempts.body.data.map((x: { status: number }) => x.status)).toEqual([0, 0]);

    // The same node, shutting down with a send in flight and a 30 s grace period: a second SIGTERM exits at once.
    hang.script = () => 'hang';
    expect((await api(node, 'POST', `/api/v1/app/${app.id}/msg`, { eventType: 'again', payload: {} })).status).toBe(
      202,
    );
    await waitFor(() => hang.received.length >= 5, 10_000);
    const exited = once(s2.child, 'exit');
    s2.child.kill('SIGTERM');
    await waitFor(() => /shutting down/.test(s2.output()), 10_000);
    expect(s2.child.exitCode).toBeNull();
    const started = Date.now();
    s2.child.kill('SIGTERM');
    const [second] = (await exited) as [number | null];
    expect(second).toBe(1);
    // Far from the 30 s grace period (the machine is shared: this is usually a few ms).
    console.log(`second SIGTERM: exit ${second} after ${Date.now() - started} ms`);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(s2.output()).toMatch(/second signal: exiting now/);
  }, 120_000);
});
