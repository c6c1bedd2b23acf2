import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../helpers/ports.js';
import { Receiver } from '../helpers/receiver.js';
import { api, startTestServer, type TestServer, waitFor } from '../helpers/server.js';
import { runCli } from './run.js';

/** The CLI shows what failed and why: message delivery status, the delivery log with errors, endpoint state. */
describe('hookway CLI: failures are visible', () => {
  let server: TestServer;
  let ok: Receiver;
  let env: Record<string, string>;
  let deadUrl = '';
  let deadMsg = '';
  let okMsg = '';

  beforeAll(async () => {
    server = await startTestServer();
    ok = await Receiver.start();
    env = { HOOKWAY_URL: server.url, HOOKWAY_TOKEN: server.token };
    deadUrl = `http://127.0.0.1:${await closedPort()}/a-rather-long-path/that/goes/on/and/on/to/make/the/url/longer/than/sixty`;
    const app = (await api(server, 'POST', '/api/v1/app', { name: 'Shop', uid: 'shop' })).body;
    await api(server, 'POST', `/api/v1/app/${app.id}/endpoint`, { url: ok.url, filterTypes: ['a.ok'] });
    await api(server, 'POST', `/api/v1/app/${app.id}/endpoint`, {
      url: deadUrl,
      uid: 'dead',
      filterTypes: ['a.dead'],
      retrySchedule: [3600],
    });
    okMsg = (await api(server, 'POST', `/api/v1/app/${app.id}/msg`, { eventType: 'a.ok', payload: {} })).body.id;
    deadMsg = (await api(server, 'POST', `/api/v1/app/${app.id}/msg`, { eventType: 'a.dead', payload: {} })).body.id;
    await waitFor(async () => {
      const msgs = (await api(server, 'GET', `/api/v1/app/${app.id}/msg`)).body.data;
      return msgs.every((m: any) => m.deliveryStatus === 'succeeded' || m.deliveryStatus === 'retrying');
    });
    await waitFor(async () => (await api(server, 'GET', `/api/v1/app/${app.id}/endpoint/dead`)).body.failure);
  });
  afterAll(async () => {
    await ok?.close();
    await server?.close();
  });

  it('messages list has a delivery column', async () => {
    const r = await runCli(['messages', 'list', 'shop'], env);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/\bDELIVERY$/);
    expect(lines.find((l) => l.startsWith(deadMsg))).toMatch(/\bretrying$/);
    expect(lines.find((l) => l.startsWith(okMsg))).toMatch(/\bsucceeded$/);
  });

  it('log shows every endpoint with its whole URL and the error; --status failed narrows it', async () => {
    const all = await runCli(['log', '--app', 'shop'], env);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toContain(deadUrl);
    expect(all.stdout).toContain(ok.url);
    const failed = await runCli(['log', '--status', 'failed'], env);
    expect(failed.code, failed.stderr).toBe(0);
    const rows = failed.stdout.trim().split('\n').slice(1);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain(deadUrl);
    expect(rows[0]).toMatch(/\bShop\b.*\bdead\b.*\ba\.dead\b/);
    expect(rows[0]).toMatch(/network: connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
    const json = JSON.parse((await runCli(['log', '--app', 'shop', '--endpoint', 'dead', '--json'], env)).stdout);
    expect(json.data.map((a: any) => [a.errorKind, a.endpointUid])).toEqual([['network', 'dead']]);
    expect((await runCli(['log', '--status', 'maybe'], env)).stderr).toMatch(/--status must be succeeded or failed/);
  });

  it('attempts of a message and the endpoint list say why and how it fails', async () => {
    const attempts = await runCli(['attempts', 'shop', deadMsg], env);
    expect(attempts.stdout).toMatch(/network: connect ECONNREFUSED/);
    const eps = await runCli(['endpoints', 'list', 'shop'], env);
    expect(eps.stdout).toContain(deadUrl);
    expect(eps.stdout).toMatch(/failing \(retrying\)/);
    expect(eps.stdout).toMatch(/\bhealthy\b/);
  });
});
