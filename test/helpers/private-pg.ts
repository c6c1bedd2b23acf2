import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './ports.js';

const run = promisify(execFile);

/**
 * A private PostgreSQL cluster for fault tests: created with initdb in a
 * temporary directory, on its own port, so a test can restart it, stop it or
 * kill its sessions without disturbing any other test. initdb refuses root,
 * so the cluster belongs to the `postgres` user. Nothing here skips: when the
 * cluster cannot be made (not root, no initdb), creating it throws and the
 * test fails.
 */
export interface PrivateCluster {
  url: string;
  port: number;
  start(): Promise<void>;
  /** pg_ctl stop: `fast` ends sessions (57P01), `immediate` is a crash. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  restart(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Runs SQL as superuser on the cluster (pg_terminate_backend, pg_stat_activity). */
  query<R extends pg.QueryResultRow = any>(sql: string, values?: unknown[]): Promise<R[]>;
  /** Stops the server (if running) and deletes the directory; safe to call twice. */
  destroy(): Promise<void>;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) throw new Error(`fault tests need PostgreSQL server binaries under ${root} (initdb)`);
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  if (!versions[0]) throw new Error(`no initdb under ${root}/*/bin`);
  return join(root, versions[0], 'bin');
}

export async function createPrivateCluster(): Promise<PrivateCluster> {
  if (process.getuid?.() !== 0) throw new Error('fault tests must run as root (they create a PostgreSQL cluster)');
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), 'hookway-pg-'));
  const { uid, gid } = await userIds('postgres');
  chownSync(dir, uid, gid);
  chmodSync(dir, 0o700);
  const data = join(dir, 'data');
  const port = await freePort();
  const asPostgres = (cmd: string, args: string[]) =>
    run('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { cwd: dir, timeout: 60_000 });
  let running = false;
  let destroyed = false;

  const ctl = async (args: string[]) => {
    await asPostgres('pg_ctl', ['-D', data, '-w', '-t', '30', ...args]);
  };
  const start = async () => {
    await ctl([
      '-l',
      join(dir, 'server.log'),
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`,
      'start',
    ]);
    running = true;
  };

  try {
    await asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    await start();
  } catch (err) {
    if (running) await ctl(['-m', 'immediate', 'stop']).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;

  return {
    url,
    port,
    start,
    async stop(mode = 'fast') {
      await ctl(['-m', mode, 'stop']);
      running = false;
    },
    async restart(mode = 'fast') {
      await ctl(['-m', mode, '-l', join(dir, 'server.log'), 'restart']);
      running = true;
    },
    async query(sql, values) {
      const c = new pg.Client({ connectionString: url });
      c.on('error', () => {});
      await c.connect();
      try {
        return (await c.query(sql, values)).rows;
      } finally {
        await c.end();
      }
    },
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      if (running) await ctl(['-m', 'immediate', 'stop']).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function userIds(name: string): Promise<{ uid: number; gid: number }> {
  const [{ stdout: u }, { stdout: g }] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
  return { uid: Number(u.trim()), gid: Number(g.trim()) };
}
