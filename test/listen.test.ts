import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { verifyWebhook } from '../src/sdk/index.js';
import { startHookway } from '../src/server.js';
import { freePort } from './helpers/ports.js';
import { type ServerProcess, spawnServer } from './helpers/process.js';
import { Receiver } from './helpers/receiver.js';
import { api, TEST_TOKEN, waitFor } from './helpers/server.js';

/**
 * `hookway listen` forwards every message of an endpoint to a local URL,
 * including the ones published while it was cut off: the Hookway server is
 * killed (SIGKILL), messages are published to the same database meanwhile,
 * the server comes back on the same port, and the listener resumes after the
 * last id it saw.
 */
const ROOT = resolve(import.meta.dirname, '..');

describe('hookway listen', () => {
  let dir: string;
  let env: Record<string, string>;
  let server: ServerProcess;
  let local: Receiver;
  let listener: ChildProcess;
  let listenerOut = '';
  let listenerErr = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hookway-listen-'));
    env = {
      HOOKWAY_DATABASE_URL: `sqlite:${join(dir, 'hookway.db')}`,
      HOOKWAY_PORT: String(await freePort()),
      HOOKWAY_ADMIN_TOKEN: TEST_TOKEN,
      HOOKWAY_ALLOWED_TARGETS: '127.0.0.0/8',
    };
    server = await spawnServer(env);
    local = await Receiver.start();
  });
  afterAll(async () => {
    listener?.kill('SIGTERM');
    await server?.kill();
    await local?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers every event, including those sent while it was disconnected', async () => {
    const srv = { url: server.url, token: TEST_TOKEN };
    expect((await api(srv, 'POST', '/api/v1/app', { name: 'Dev', uid: 'dev' })).status).toBe(201);
    // A listen-only endpoint: disabled, so the engine never sends to its URL; its filter still applies.
    const ep = await api(srv, 'POST', '/api/v1/app/dev/endpoint', {
      url: 'https://example.com/unused',
      uid: 'local',
      disabled: true,
      filterTypes: ['invoice.*'],
    });
    expect(ep.status).toBe(201);
    const secret = (await api(srv, 'GET', '/api/v1/app/dev/endpoint/local/secret')).body.key as string;

    listener = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/main.ts',
        'listen',
        '--app',
        'dev',
        '--endpoint',
        'local',
        '--forward-to',
        local.url,
        '--json',
      ],
      {
        cwd: ROOT,
        env: { ...process.env, HOOKWAY_URL: server.url, HOOKWAY_TOKEN: TEST_TOKEN },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    listener.stdout?.on('data', (d: Buffer) => {
      listenerOut += d.toString();
    });
    listener.stderr?.on('data', (d: Buffer) => {
      listenerErr += d.toString();
    });
    await waitFor(() => listenerErr.includes('Connected'), 20_000);

    const sent: string[] = [];
    const publish = async (target: { url: string; token: string }, n: number, tag: string) => {
      for (let i = 0; i < n; i++) {
        const r = await api(target, 'POST', '/api/v1/app/dev/msg', { eventType: 'invoice.paid', payload: { tag, i } });
        expect(r.status).toBe(202);
        sent.push(r.body.id);
      }
      // Not subscribed by the endpoint's filter: never forwarded.
      await api(target, 'POST', '/api/v1/app/dev/msg', { eventType: 'user.created', payload: { tag } });
    };

    await publish(srv, 3, 'before');
    await waitFor(() => local.received.length >= 3);

    // Cut the connection: kill the server outright.
    await server.kill('SIGKILL');
    await waitFor(() => /Disconnected|closed/.test(listenerErr), 10_000);

    // Meanwhile, messages are published to the same database by another node.
    const other = await startHookway(loadConfig({ ...env, HOOKWAY_ROLE: 'api', HOOKWAY_PORT: '0' }), {
      log: pino({ level: 'silent' }),
    });
    await publish({ url: other.url ?? '', token: TEST_TOKEN }, 4, 'while-down');
    await other.close();
    await new Promise((r) => setTimeout(r, 2_000));

    // The server comes back on the same port and database.
    server = await spawnServer(env);
    await publish(srv, 2, 'after');

    await waitFor(() => local.received.length >= sent.length, 30_000);
    await new Promise((r) => setTimeout(r, 500));
    const forwarded = local.received.map((r) => r.headers['webhook-id']);
    expect(forwarded).toEqual(sent);
    for (const req of local.received) {
      expect(verifyWebhook(secret, req.headers, req.body)).toMatchObject({ tag: expect.any(String) });
    }
    const lines = listenerOut
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(sent);
    expect(lines.every((l) => l.status === 200 && l.eventType === 'invoice.paid')).toBe(true);
  }, 90_000);
});
