import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '../../src/sdk/index.js';
import { Receiver } from '../helpers/receiver.js';
import { startTestServer, type TestServer, waitFor } from '../helpers/server.js';
import { runCli } from './run.js';

describe('hookway CLI against a live server', () => {
  let server: TestServer;
  let receiver: Receiver;
  let env: Record<string, string>;
  let dir: string;
  let failing = true;

  beforeAll(async () => {
    server = await startTestServer();
    receiver = await Receiver.start(() => (failing ? { status: 500 } : { status: 200, body: 'ok' }));
    dir = mkdtempSync(join(tmpdir(), 'hookway-cli-'));
    env = { HOOKWAY_URL: server.url, HOOKWAY_TOKEN: server.token, XDG_CONFIG_HOME: join(dir, 'config') };
  });
  afterAll(async () => {
    await receiver.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates, lists and gets resources; --json output parses', async () => {
    const created = await runCli(['apps', 'create', 'Acme Inc', '--uid', 'acme', '--json'], env);
    expect(created.code, created.stderr).toBe(0);
    const app = JSON.parse(created.stdout);
    expect(app).toMatchObject({ uid: 'acme', name: 'Acme Inc' });
    expect(app.id).toMatch(/^app_/);

    const table = await runCli(['apps', 'list'], env);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+UID\s+NAME\s+CREATED/);
    expect(table.stdout).toContain('Acme Inc');

    const list = JSON.parse((await runCli(['apps', 'list', '--json'], env)).stdout);
    expect(list.data.map((a: { id: string }) => a.id)).toContain(app.id);

    const et = await runCli(['event-types', 'create', 'invoice.paid', '--description', 'Paid', '--json'], env);
    expect(JSON.parse(et.stdout).name).toBe('invoice.paid');
    const ep = await runCli(['endpoints', 'create', 'acme', receiver.url, '--uid', 'main', '--json'], env);
    expect(ep.code, ep.stderr).toBe(0);
    expect(JSON.parse(ep.stdout)).toMatchObject({ uid: 'main', url: receiver.url });
    const got = JSON.parse((await runCli(['endpoints', 'get', 'acme', 'main', '--json'], env)).stdout);
    expect(got.url).toBe(receiver.url);
  });

  it('sends from a file, lists messages and attempts', async () => {
    failing = false;
    const file = join(dir, 'payload.json');
    writeFileSync(file, JSON.stringify({ type: 'invoice.paid', amount: 1200 }));
    const sent = await runCli(['send', 'acme', 'invoice.paid', '--data', `@${file}`, '--json'], env);
    expect(sent.code, sent.stderr).toBe(0);
    const msg = JSON.parse(sent.stdout);
    expect(msg).toMatchObject({ eventType: 'invoice.paid', payload: { amount: 1200 } });
    await waitFor(() => receiver.received.some((r) => r.headers['webhook-id'] === msg.id));

    const msgs = JSON.parse((await runCli(['messages', 'list', 'acme', '--json'], env)).stdout);
    expect(msgs.data[0].id).toBe(msg.id);
    const attempts = await waitFor(async () => {
      const r = JSON.parse((await runCli(['attempts', 'acme', msg.id, '--json'], env)).stdout);
      return r.data.length > 0 ? r : null;
    });
    expect(attempts.data[0]).toMatchObject({ msgId: msg.id, responseStatusCode: 200 });
    const table = await runCli(['attempts', 'acme', msg.id], env);
    expect(table.stdout).toMatch(/succeeded\s+200/);
  });

  it('replays a message with progress on stderr', async () => {
    const msg = JSON.parse((await runCli(['messages', 'list', 'acme', '--json'], env)).stdout).data[0];
    const before = receiver.received.length;
    const replay = await runCli(['replay', msg.id, '--app', 'acme'], env);
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stderr).toMatch(/replay \[#{24}\] 1\/1 100%/);
    // stderr is a pipe here: the final line once, not once per update and again at the end.
    expect(replay.stderr.match(/replay \[#{24}\] 1\/1 100%/g)).toHaveLength(1);
    expect(replay.stdout).toMatch(/queued: 1\s+failed: 0/);
    await waitFor(() => receiver.received.length > before);
    expect(receiver.received.at(-1)?.headers['webhook-id']).toBe(msg.id);
  });

  it('recovers failed deliveries with a progress bar (server background task)', async () => {
    failing = true;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await runCli(['send', 'acme', 'invoice.paid', '--data', `{"n":${i}}`, '--json'], env);
      ids.push(JSON.parse(r.stdout).id);
    }
    // 1 try + 3 retries each (test schedule 1,1,1), then the deliveries have failed.
    await waitFor(
      () => receiver.received.filter((r) => ids.includes(r.headers['webhook-id'] ?? '')).length >= 12,
      30_000,
    );
    await new Promise((r) => setTimeout(r, 500));
    failing = false;
    const rec = await runCli(['recover', 'acme', 'main', '--since', '1h', '--json'], env);
    expect(rec.code, rec.stderr).toBe(0);
    expect(rec.stderr).toMatch(/recover \[[#.]{24}\] \d+\/3/);
    expect(JSON.parse(rec.stdout)).toMatchObject({ status: 'finished', total: 3 });
    await waitFor(() => ids.every((id) => receiver.received.some((r) => r.headers['webhook-id'] === id && !failing)));
  });

  it('exports to stdout when no file is given, the summary on stderr', async () => {
    // Retries of the earlier test may still be recording attempts: both exports end at one instant,
    // taken a second before they run so that every attempt made before it is committed.
    const until = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 1000));
    const r = await runCli(['export', 'acme', '--format', 'ndjson', '--until', until], env);
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.length).toBeGreaterThanOrEqual(12);
    expect(rows.every((a) => a.msgId?.startsWith('msg_'))).toBe(true);
    expect(r.stderr).toContain(`Wrote ${rows.length} attempts to stdout`);
    const csv = await runCli(['export', 'acme', '--out', '-', '--until', until], env);
    expect(csv.stdout.split('\n')[0]).toMatch(/^id,/);
    expect(csv.stdout.trim().split('\n')).toHaveLength(rows.length + 1);
  });

  it('listen stops with a clear error when the server was never reached', async () => {
    const started = Date.now();
    const r = await runCli(['listen', '--app', 'acme', '--forward-to', 'http://localhost:3000/webhooks'], {
      ...env,
      HOOKWAY_URL: 'http://127.0.0.1:9',
    });
    expect(r.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(r.stderr).toMatch(/^hookway: 0 network_error: Could not reach http:\/\/127\.0\.0\.1:9/);
    expect(r.stderr).toContain('Is the server running');
    expect(r.stderr).not.toContain('retrying');
  });

  it('verifies a saved request', async () => {
    const secret = (await runCli(['endpoints', 'secret', 'acme', 'main'], env)).stdout.trim();
    const body = '{"type":"invoice.paid","id":1}';
    writeFileSync(join(dir, 'body.json'), body);
    writeFileSync(join(dir, 'headers.json'), JSON.stringify(signWebhook(secret, 'msg_saved', body)));
    const args = [
      'verify',
      '--secret',
      secret,
      '--headers',
      join(dir, 'headers.json'),
      '--body',
      join(dir, 'body.json'),
    ];
    const ok = await runCli(args, env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('Signature valid: webhook-id msg_saved');
    writeFileSync(join(dir, 'body.json'), body.replace('1', '2'));
    const bad = await runCli(args, env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('hookway: No matching signature found\n');
  });

  it('manages API keys', async () => {
    const created = JSON.parse((await runCli(['keys', 'create', 'ci', '--scope', 'app:acme', '--json'], env)).stdout);
    expect(created.token).toBeTruthy();
    const list = JSON.parse((await runCli(['keys', 'list', '--json'], env)).stdout);
    expect(list.data.map((k: { id: string }) => k.id)).toContain(created.id);
    // The new key works for its application.
    const scoped = await runCli(['apps', 'get', 'acme', '--json'], { ...env, HOOKWAY_TOKEN: created.token });
    expect(scoped.code, scoped.stderr).toBe(0);
    const revoked = await runCli(['keys', 'revoke', created.id, '--json'], env);
    expect(JSON.parse(revoked.stdout)).toEqual({ revoked: created.id });
  });

  it('login writes a mode-600 config file that later commands use; env wins over it', async () => {
    const login = await runCli(['login', '--url', server.url, '--token', server.token], env);
    expect(login.code, login.stderr).toBe(0);
    const file = join(dir, 'config', 'hookway', 'config.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ url: server.url, token: server.token });
    const noEnv = { XDG_CONFIG_HOME: env.XDG_CONFIG_HOME ?? '' };
    expect((await runCli(['apps', 'get', 'acme', '--json'], noEnv)).code).toBe(0);
    const wrong = await runCli(['apps', 'get', 'acme'], { ...noEnv, HOOKWAY_TOKEN: 'nope' });
    expect(wrong.code).toBe(1);
  });

  it('errors are one clear line on stderr and a non-zero exit', async () => {
    const missing = await runCli(['apps', 'get', 'nope'], env);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toBe('hookway: 404 not_found: Application not found.\n');
    const badJson = await runCli(['send', 'acme', 'x', '--data', '{oops'], env);
    expect(badJson.code).toBe(1);
    expect(badJson.stderr.trim().split('\n')).toHaveLength(1);
    const down = await runCli(['apps', 'list'], { ...env, HOOKWAY_URL: 'http://127.0.0.1:9' });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^hookway: 0 network_error: Could not reach http:\/\/127\.0\.0\.1:9/);
    const noToken = await runCli(['apps', 'list'], { XDG_CONFIG_HOME: join(dir, 'empty') });
    expect(noToken.stderr).toMatch(/^hookway: no token/);
  });
});
