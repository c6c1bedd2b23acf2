import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/ports.js';
import { createPrivateCluster, type PrivateCluster } from '../helpers/private-pg.js';
import { type ServerProcess, spawnHookway, spawnServer } from '../helpers/process.js';
import { Receiver } from '../helpers/receiver.js';
import { api, waitFor } from '../helpers/server.js';

/**
 * PostgreSQL faults caused for real on a private cluster (see private-pg.ts):
 * down at start, a restart under load, sessions killed one at a time and all
 * at once. Two nodes: A serves the API only, B the API and the workers with a
 * 10 s poll, so what A accepts reaches B through LISTEN/NOTIFY (a broken
 * listener would show as 10 s delays). Both must stay up; requests during an
 * outage answer 503 `database_unavailable` fast; every 202 is delivered.
 * The tests of this file share the cluster and run one after another.
 */

const TOKEN = 'hw_faults_token_0123456789abcdef0123';
/**
 * How fast a 503 must come. Alone, the slowest 503 measured here was 1.1 s (8 clients, one node);
 * with the whole suite and other work sharing the 2 cores, 202s too take up to 2 s, and the
 * slowest 503 seen was 3.2 s. A hang (the bug this guards against) lasts until a TCP timeout.
 */
const OUTAGE_ANSWER_MS = 4_000;

interface Answer {
  node: 'a' | 'b';
  status: number;
  ms: number;
  body: any;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PostgreSQL faults (private cluster, two nodes)', () => {
  let cluster: PrivateCluster | undefined;
  let receiver: Receiver | undefined;
  const procs: Array<{ kill(signal?: NodeJS.Signals): Promise<void> }> = [];
  let a: { url: string; token: string; proc: Omit<ServerProcess, 'url'> };
  let b: { url: string; token: string; proc: ServerProcess };
  let appId = '';

  beforeAll(async () => {
    cluster = await createPrivateCluster();
    receiver = await Receiver.start(() => ({ status: 200 }));
  }, 120_000);

  afterAll(async () => {
    for (const p of procs) await p.kill('SIGKILL');
    await receiver?.close();
    await cluster?.destroy();
  });

  const env = (extra: Record<string, string>) => ({
    HOOKWAY_DATABASE_URL: cluster?.url ?? '',
    HOOKWAY_ADMIN_TOKEN: TOKEN,
    HOOKWAY_ALLOWED_TARGETS: '127.0.0.0/8',
    HOOKWAY_MASTER_KEY: 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
    HOOKWAY_LEASE_MS: '3000',
    HOOKWAY_RETRY_SCHEDULE: '1,1,1,1,1',
    HOOKWAY_LOG_LEVEL: 'info',
    ...extra,
  });

  const alive = () => {
    expect(a.proc.child.exitCode, a.proc.output()).toBeNull();
    expect(b.proc.child.exitCode, b.proc.output()).toBeNull();
  };

  /** Creates messages from `workers` loops on both nodes until stop() is called. */
  function load(workers = 8) {
    const answers: Answer[] = [];
    let running = true;
    let i = 0;
    const done = Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        while (running) {
          const node = w % 2 === 0 ? a : b;
          const started = Date.now();
          let res: { status: number; body: any };
          try {
            res = await api(node, 'POST', `/api/v1/app/${appId}/msg`, { eventType: 'fault.load', payload: { i: i++ } });
          } catch (err) {
            res = { status: -1, body: String(err) };
          }
          answers.push({ node: node === a ? 'a' : 'b', status: res.status, ms: Date.now() - started, body: res.body });
          if (res.status !== 202) await sleep(50);
        }
      }),
    );
    return {
      answers,
      async stop() {
        running = false;
        await done;
        return answers;
      },
    };
  }

  /** Every answer is a 202 or a fast 503 `database_unavailable`; returns the accepted message ids. */
  function checkAnswers(answers: Answer[]): string[] {
    const bad = answers.filter(
      (r) => !(r.status === 202 || (r.status === 503 && r.body?.code === 'database_unavailable' && r.body.detail)),
    );
    expect(bad.slice(0, 5)).toEqual([]);
    const slow = answers.filter((r) => r.status === 503 && r.ms > OUTAGE_ANSWER_MS);
    expect(slow.slice(0, 5)).toEqual([]);
    const refused = answers.filter((r) => r.status === 503);
    const accepted = answers.filter((r) => r.status === 202);
    console.log(
      `answers: ${accepted.length} accepted, ${refused.length} refused with 503; slowest 503 ${Math.max(0, ...refused.map((r) => r.ms))} ms, slowest 202 ${Math.max(0, ...accepted.map((r) => r.ms))} ms`,
    );
    return accepted.map((r) => r.body.id as string);
  }

  async function allDelivered(ids: string[]): Promise<void> {
    const got = () => new Set(receiver?.received.map((r) => r.headers['webhook-id']));
    await waitFor(() => ids.every((id) => got().has(id)), 45_000, 100).catch(() => {
      const missing = ids.filter((id) => !got().has(id));
      throw new Error(
        `${missing.length} of ${ids.length} accepted messages were not delivered: ${missing.slice(0, 3)}`,
      );
    });
  }

  /** Health on both nodes until it answers 204; returns ms taken. */
  async function healthyWithin(ms: number): Promise<number> {
    const started = Date.now();
    for (const node of [a, b]) {
      await waitFor(
        async () => (await api(node, 'GET', '/api/v1/health').catch(() => ({ status: 0 }))).status === 204,
        ms,
        100,
      );
    }
    return Date.now() - started;
  }

  /** The LISTEN connections are back and a message accepted by A is delivered by B through NOTIFY. */
  async function wakesAcrossNodes(): Promise<void> {
    await waitFor(
      async () =>
        (
          await cluster?.query(
            "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'hookway-wake'",
          )
        )?.[0]?.n === 2,
      20_000,
      100,
    );
    for (let k = 0; k < 3; k++) {
      const res = await api(a, 'POST', `/api/v1/app/${appId}/msg`, { eventType: 'fault.wake', payload: { k } });
      expect(res.status).toBe(202);
      const started = Date.now();
      await waitFor(() => receiver?.received.some((r) => r.headers['webhook-id'] === res.body.id), 10_000, 20);
      // B polls every 10 s: only NOTIFY gets the message there this fast.
      expect(Date.now() - started).toBeLessThan(2_500);
    }
  }

  it('down at start: waits with a clear log line, answers health 503 meanwhile, starts when PostgreSQL comes', async () => {
    if (!cluster) throw new Error('no cluster');
    await cluster.stop('fast');
    const port = await freePort();
    const proc = spawnHookway(env({ HOOKWAY_ROLE: 'api', HOOKWAY_PORT: String(port) }));
    procs.push(proc);
    a = { url: `http://127.0.0.1:${port}`, token: TOKEN, proc };
    await waitFor(
      () => /waiting for the database \(PostgreSQL [^)]*\): .*Waited \d+ s so far/.test(proc.output()),
      // The process itself may take this long to start on an overloaded machine (tsx compiles on load).
      90_000,
      100,
    );
    const health = await waitFor(
      async () => {
        const r = await api(a, 'GET', '/api/v1/health').catch(() => null);
        return r?.status === 503 ? r : null;
      },
      30_000,
      100,
    );
    expect(health.body).toMatchObject({ code: 'database_unavailable' });
    const refused = await api(a, 'GET', '/api/v1/app');
    expect(refused.status).toBe(503);
    await sleep(1_500);
    expect(proc.child.exitCode, proc.output()).toBeNull();
    expect(proc.output()).not.toMatch(/\n\s+at /); // no stack trace

    await cluster.start();
    const started = Date.now();
    await waitFor(
      async () => (await api(a, 'GET', '/api/v1/health').catch(() => ({ status: 0 }))).status === 204,
      10_000,
      100,
    );
    console.log(`down at start: health 204 ${Date.now() - started} ms after PostgreSQL accepted connections`);
    await waitFor(() => /API:\s+http/.test(proc.output()), 10_000, 100);

    const nodeB = await spawnServer(env({ HOOKWAY_PORT: '0', HOOKWAY_POLL_INTERVAL_MS: '10000' }));
    procs.push(nodeB);
    b = { url: nodeB.url, token: TOKEN, proc: nodeB };
    const app = await api(a, 'POST', '/api/v1/app', { name: 'faults' });
    expect(app.status).toBe(201);
    appId = app.body.id;
    expect((await api(a, 'POST', `/api/v1/app/${appId}/endpoint`, { url: receiver?.url })).status).toBe(201);
    await wakesAcrossNodes();
  }, 120_000);

  it('PostgreSQL restarted, then stopped and started, under load: both nodes survive, 503s are fast, every 202 is delivered', async () => {
    if (!cluster) throw new Error('no cluster');
    const l = load();
    await sleep(1_500);
    await cluster.restart('fast');
    await sleep(2_000);
    alive();

    // A longer outage: health must say so, then recover within 10 s of PostgreSQL being back.
    await cluster.stop('fast');
    const down = await api(b, 'GET', '/api/v1/health');
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ code: 'database_unavailable' });
    expect((await api(a, 'GET', '/api/v1/health')).status).toBe(503);
    await sleep(2_000);
    alive();
    await cluster.start();
    const recovered = await healthyWithin(10_000);
    console.log(`restart: health 204 on both nodes ${recovered} ms after PostgreSQL was back`);
    await sleep(1_500);
    const answers = await l.stop();
    alive();
    expect(answers.some((r) => r.status === 503)).toBe(true);
    const ids = checkAnswers(answers);
    expect(ids.length).toBeGreaterThan(20);
    await allDelivered(ids);
    await wakesAcrossNodes();
    expect(b.proc.output()).toMatch(/database unavailable: /);
    expect(b.proc.output()).toMatch(/database available again after/);
  }, 180_000);

  it("Hookway's sessions killed one at a time, then all at once, under load: same outcome", async () => {
    if (!cluster) throw new Error('no cluster');
    const sessions = () =>
      cluster?.query<{ pid: number }>(
        "SELECT pid FROM pg_stat_activity WHERE application_name LIKE 'hookway%' AND pid <> pg_backend_pid()",
      ) ?? Promise.resolve([]);
    const l = load();
    await sleep(1_000);
    let killed = 0;
    for (let k = 0; k < 12; k++) {
      const list = await sessions();
      const one = list[Math.floor(Math.random() * list.length)];
      if (one) {
        await cluster.query('SELECT pg_terminate_backend($1)', [one.pid]);
        killed++;
      }
      await sleep(250);
    }
    for (let k = 0; k < 3; k++) {
      const list = await sessions();
      await cluster.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [list.map((s) => s.pid)]);
      killed += list.length;
      await sleep(700);
    }
    await sleep(1_500);
    const answers = await l.stop();
    alive();
    expect(killed).toBeGreaterThan(12);
    const ids = checkAnswers(answers);
    expect(ids.length).toBeGreaterThan(20);
    await healthyWithin(10_000);
    await allDelivered(ids);
    await wakesAcrossNodes();
  }, 180_000);
});
