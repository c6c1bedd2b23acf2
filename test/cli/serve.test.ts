import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/server.js';
import { spawnCollecting } from '../helpers/spawned.js';

/**
 * What `npm start` shows a newcomer, run from the build as `npm start` runs
 * it: on a terminal (a real pseudo-terminal, through `script`), readable log
 * lines and a copy-paste `export HOOKWAY_TOKEN=...`; through a pipe, JSON log
 * lines and no token; on a busy port, how to pick another.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const MAIN = join(ROOT, 'dist/cli/main.js');
const dirs: string[] = [];
const children: ChildProcess[] = [];

function start(opts: { tty: boolean; port?: number }): { child: ChildProcess; output: () => string } {
  const dir = mkdtempSync(join(tmpdir(), 'hookway-serve-'));
  dirs.push(dir);
  const env = {
    ...process.env,
    HOOKWAY_DATABASE_URL: `sqlite:${join(dir, 'hookway.db')}`,
    HOOKWAY_PORT: String(opts.port ?? 0),
    HOOKWAY_ADMIN_TOKEN: '',
    HOOKWAY_LOG_FORMAT: '',
  };
  const command = `exec "${process.execPath}" "${MAIN}" serve`;
  // `script` runs the command in a pseudo-terminal: stdout.isTTY is true, as in a terminal.
  const started = opts.tty
    ? spawnCollecting('script', ['-qfec', command, '/dev/null'], { env })
    : spawnCollecting('sh', ['-c', command], { env });
  children.push(started.child);
  return started;
}

const apiUrl = (out: string) => /API:\s+(http:\/\/\S+)\/api\/v1/.exec(out)?.[1] ?? null;

afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('hookway serve, first start', () => {
  it('on a terminal: readable logs and a copy-paste export line with a working token', async () => {
    const { output } = start({ tty: true });
    await waitFor(() => /export HOOKWAY_TOKEN=/.test(output()), 30_000);
    const out = output();
    expect(out).toMatch(/^\d\d:\d\d:\d\d INFO {2}migrations applied applied=/m);
    expect(out).not.toMatch(/^\{"level"/m);
    const token = /^ {4}export HOOKWAY_TOKEN=(hw_\S+)$/m.exec(out)?.[1];
    const url = /^ {4}export HOOKWAY_URL=(\S+)$/m.exec(out)?.[1];
    expect(url).toBe(apiUrl(out));
    const res = await fetch(`${url}/api/v1/app`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
  });

  it('through a pipe: JSON log lines, and the token is not printed', async () => {
    const { output } = start({ tty: false });
    // Log lines and the banner reach the two pipes (stdout, stderr) in no set
    // order, so wait for both: the banner's token line (its last before the
    // master-key warning) and the JSON line of the migrations.
    const jsonMessages = () =>
      output()
        .split('\n')
        .filter((l) => l.startsWith('{') && l.endsWith('}'))
        .map((l) => JSON.parse(l).msg as string);
    await waitFor(() => /Admin token:.*\n/.test(output()) && jsonMessages().includes('migrations applied'), 30_000);
    const out = output();
    expect(jsonMessages()).toContain('migrations applied');
    expect(out).not.toMatch(/hw_[A-Za-z0-9_-]{20,}/);
    expect(out).toContain('not printed because the output is not a terminal');
  });

  it('on a busy port: says so and how to pick another', async () => {
    const busy: Server = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const { port } = busy.address() as { port: number };
    try {
      const { child, output } = start({ tty: false, port });
      const code = await new Promise<number | null>((r) => child.on('exit', r));
      expect(code).toBe(1);
      expect(output()).toContain(`hookway: port ${port} on 127.0.0.1 is already in use`);
      expect(output()).toContain(`hookway serve --port ${port + 1}`);
    } finally {
      busy.close();
    }
  });
});
