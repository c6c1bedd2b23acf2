import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../src/sdk/index.js';
import { Receiver } from './helpers/receiver.js';
import { api, startTestServer, type TestServer, waitFor } from './helpers/server.js';

/**
 * `hookway listen --source`: the events an inbound source receives reach a
 * local URL, signed with the secret the listener was given, with no ingest
 * endpoint (and no public tunnel) needed.
 */
const ROOT = resolve(import.meta.dirname, '..');
const SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;

describe('hookway listen --source', () => {
  let server: TestServer;
  let local: Receiver;
  let listener: ChildProcess | undefined;
  let err = '';
  beforeAll(async () => {
    server = await startTestServer();
    local = await Receiver.start();
  });
  afterAll(async () => {
    listener?.kill('SIGTERM');
    await local.close();
    await server.close();
  });

  it('forwards each verified event of the source, signed with the given secret', async () => {
    const created = await api(server, 'POST', '/ingest/api/v1/source', {
      name: 'GitHub',
      uid: 'gh-dev',
      type: 'github',
      config: { secret: 'gh-secret' },
    });
    expect(created.status).toBe(201);
    listener = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/main.ts',
        'listen',
        '--source',
        'gh-dev',
        '--secret',
        SECRET,
        '--forward-to',
        local.url,
      ],
      {
        cwd: ROOT,
        env: { ...process.env, HOOKWAY_URL: server.url, HOOKWAY_TOKEN: server.token },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    listener.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    await waitFor(() => err.includes('Connected'), 20_000);

    const ingest = new URL(created.body.ingestUrl).pathname;
    for (let i = 0; i < 3; i++) {
      const body = JSON.stringify({ action: 'opened', number: i });
      const res = await fetch(server.url + ingest, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'issues',
          'x-github-delivery': `delivery-${i}`,
          'x-hub-signature-256': `sha256=${createHmac('sha256', 'gh-secret').update(body).digest('hex')}`,
        },
        body,
      });
      expect(res.status).toBe(200);
    }
    await waitFor(() => local.received.length >= 3, 20_000);
    const numbers = local.received.map((r) => (verifyWebhook(SECRET, r.headers, r.body) as { number: number }).number);
    expect(numbers).toEqual([0, 1, 2]);
  }, 60_000);

  it('refuses a source the key cannot see, as not found', async () => {
    const res = await api(server, 'GET', '/ingest/api/v1/source/src_nope/stream');
    expect(res.status).toBe(404);
  });
});
