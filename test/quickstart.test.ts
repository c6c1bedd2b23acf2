import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closedPort as freePort } from './helpers/ports.js';
import { waitFor } from './helpers/server.js';
import { spawnCollecting } from './helpers/spawned.js';

/**
 * The README's first example, as a newcomer runs it on a laptop: `npm start`
 * (the build, in a terminal, with no loopback allowlist), the export lines it
 * prints, then the README's own blocks: `hookway listen`, the receiver with
 * the secret listen printed, and the publishing script. The message must
 * reach the local receiver and verify there, although the server refuses to
 * deliver to loopback itself.
 *
 * Two substitutions, and only these: `npx hookway` runs the built CLI
 * directly (npx would resolve to the same file, slower), and the receiver's
 * port 3000 becomes a free port.
 */
const ROOT = resolve(import.meta.dirname, '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

function block(tag: string): string {
  const m = new RegExp(`^\`\`\`\\w+[^\\n]*\\bquickstart=${tag}\\b[^\\n]*\\n([\\s\\S]*?)^\`\`\`$`, 'm').exec(README);
  if (!m?.[1]) throw new Error(`README has no block tagged quickstart=${tag}`);
  return m[1];
}

const children: ChildProcess[] = [];
function start(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): { out: () => string } {
  const { child, output } = spawnCollecting(cmd, args, { env, cwd });
  children.push(child);
  return { out: output };
}

describe('README quick start, on a laptop', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookway-quickstart-'));
  // Inside the repository, so `import 'hookway/sdk'` resolves to this package as in the README.
  const scripts = join(ROOT, 'test-output', `quickstart-${process.pid}`);
  afterAll(() => {
    for (const c of children) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    rmSync(scripts, { recursive: true, force: true });
  });

  it('listen forwards the published message to the local receiver, which verifies it', async () => {
    const port = await freePort();
    const base = {
      ...process.env,
      HOOKWAY_DATABASE_URL: `sqlite:${join(dir, 'hookway.db')}`,
      HOOKWAY_PORT: String(await freePort()),
      HOOKWAY_ADMIN_TOKEN: '',
      HOOKWAY_ALLOWED_TARGETS: '',
      HOOKWAY_URL: '',
      HOOKWAY_TOKEN: '',
      XDG_CONFIG_HOME: dir,
    };
    // `npm start`, in a terminal.
    const server = start(
      'script',
      ['-qfec', `exec "${process.execPath}" dist/cli/main.js serve`, '/dev/null'],
      base,
      ROOT,
    );
    await waitFor(() => /export HOOKWAY_TOKEN=\S+\n/.test(server.out()), 30_000);
    const url = /export HOOKWAY_URL=(\S+)/.exec(server.out())?.[1] ?? '';
    const token = /export HOOKWAY_TOKEN=(\S+)/.exec(server.out())?.[1] ?? '';
    const env = { ...base, HOOKWAY_URL: url, HOOKWAY_TOKEN: token };

    // The server itself refuses loopback targets, and says what would allow them.
    const refused = await fetch(`${url}/api/v1/app`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Probe' }),
    }).then((r) => r.json() as Promise<{ id: string }>);
    const ep = await fetch(`${url}/api/v1/app/${refused.id}/endpoint`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: `http://localhost:${port}/webhooks` }),
    });
    expect(ep.status).toBe(422);
    expect(((await ep.json()) as { detail: string }).detail).toContain('HOOKWAY_ALLOWED_TARGETS=127.0.0.0/8');

    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(
      join(bin, 'hookway'),
      `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, 'dist/cli/main.js')}" "$@"\n`,
    );
    chmodSync(join(bin, 'hookway'), 0o755);
    const listenCmd = block('listen')
      .replace(/\bnpx hookway\b/g, 'hookway')
      .replaceAll('localhost:3000', `localhost:${port}`);
    const listen = start('bash', ['-c', listenCmd], { ...env, PATH: `${bin}:${process.env.PATH}` }, dir);
    await waitFor(() => listen.out().includes('Connected.'), 30_000);
    expect(listen.out()).toContain('Created application acme');
    expect(listen.out()).toContain('Created listen-only endpoint hookway-listen in acme');
    const secret = /Signing secret: (whsec_\S+)/.exec(listen.out())?.[1] ?? '';

    mkdirSync(scripts, { recursive: true });
    writeFileSync(join(scripts, 'receiver.mjs'), block('receiver'));
    writeFileSync(join(scripts, 'send.mjs'), block('send'));
    const receiver = start(
      process.execPath,
      ['receiver.mjs'],
      { ...env, WEBHOOK_SECRET: secret, PORT: String(port) },
      scripts,
    );
    await waitFor(() => receiver.out().includes('receiving on'), 30_000);

    const send = start(process.execPath, ['send.mjs'], env, scripts);
    await waitFor(() => /published (msg_\S+)/.test(send.out()), 30_000);
    const msgId = /published (msg_\S+)/.exec(send.out())?.[1] ?? '';
    await waitFor(() => receiver.out().includes(`verified ${msgId}`), 30_000);
    expect(receiver.out()).toContain(`verified ${msgId} {"id":"inv_1","amount":4200}`);
    await waitFor(() => new RegExp(`invoice\\.paid\\s+${msgId}\\s+-> 200`).test(listen.out()), 10_000);
  }, 180_000);
});
