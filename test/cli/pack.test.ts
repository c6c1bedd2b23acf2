import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The package as a user gets it: `npm pack` (of the build `npm test` just
 * made), installed into a fresh project in a temp directory (never globally
 * on this machine), then the CLI run from that project's `node_modules/.bin`
 * and the SDK imported by name from a script in that project.
 *
 * One stand-in: better-sqlite3 normally downloads its prebuilt binary from
 * GitHub, which this machine cannot reach. The test hands prebuild-install
 * the binary already built in the repository as a "local prebuild" (its
 * documented `*_local_prebuilds` setting) instead of compiling SQLite again.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

describe('npm pack, installed into a project', () => {
  let dir: string;
  let project: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hookway-pack-'));
    await run('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT });
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error('npm pack wrote no tarball');

    const prebuilds = join(dir, 'prebuilds');
    mkdirSync(prebuilds);
    const { version } = JSON.parse(readFileSync(join(ROOT, 'node_modules/better-sqlite3/package.json'), 'utf8'));
    const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
    await run('tar', ['czf', join(prebuilds, name), 'build/Release/better_sqlite3.node'], {
      cwd: join(ROOT, 'node_modules/better-sqlite3'),
    });

    project = join(dir, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), '{"name": "my-app", "private": true, "type": "module"}\n');
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(dir, tarball)], {
      cwd: project,
      env: { ...process.env, npm_config_better_sqlite3_local_prebuilds: prebuilds },
      maxBuffer: 10 * 1024 * 1024,
    });
  }, 300_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('`hookway --help` runs from the installed package', async () => {
    const { stdout } = await run(join(project, 'node_modules/.bin/hookway'), ['--help'], { cwd: project });
    expect(stdout).toMatch(/^Usage: hookway/m);
    for (const command of ['serve', 'listen', 'send', 'export'])
      expect(stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  it('`hookway serve` from the installed package starts and serves the API and the dashboard', async () => {
    const data = join(dir, 'data');
    const child = execFile(join(project, 'node_modules/.bin/hookway'), ['serve', '--port', '0'], {
      cwd: project,
      env: { ...process.env, HOOKWAY_DATA_DIR: data, HOOKWAY_DATABASE_URL: `sqlite:${join(data, 'hw.db')}` },
    });
    try {
      let out = '';
      const url = await new Promise<string>((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`no banner:\n${out}`)), 30_000);
        child.stdout?.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /API:\s+(http:\/\/\S+)\/api\/v1/.exec(out);
          if (m?.[1]) {
            clearTimeout(timer);
            done(m[1]);
          }
        });
        child.on('exit', (code) => fail(new Error(`exited ${code}:\n${out}`)));
      });
      const health = await fetch(`${url}/api/v1/health`);
      expect(health.status).toBe(204);
      const page = await (await fetch(`${url}/`)).text();
      expect(page).toMatch(/<script[^>]+src="[^"]*assets\//);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('the SDK imports as `hookway/sdk` in the project and verifies a signature', async () => {
    const script = join(project, 'verify.mjs');
    writeFileSync(
      script,
      `import { createHmac } from 'node:crypto';
import { verifyWebhook } from 'hookway/sdk';
const secret = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
const id = 'msg_1', ts = Math.floor(Date.now() / 1000), body = '{"ok":true}';
const sig = createHmac('sha256', Buffer.alloc(32, 7)).update(id + '.' + ts + '.' + body).digest('base64');
const headers = { 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': 'v1,' + sig };
console.log(JSON.stringify(verifyWebhook(secret, headers, body)));
try {
  verifyWebhook(secret, { ...headers, 'webhook-signature': 'v1,' + Buffer.alloc(32).toString('base64') }, body);
  console.log('forged: accepted');
} catch {
  console.log('forged: rejected');
}
`,
    );
    const { stdout } = await run(process.execPath, [script], { cwd: project });
    const [verified, forged] = stdout.trim().split('\n');
    expect(JSON.parse(verified ?? '')).toEqual({ ok: true });
    expect(forged).toBe('forged: rejected');
  });
});
