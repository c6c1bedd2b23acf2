import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, spawnServer } from '../helpers/process.js';
import { Receiver } from '../helpers/receiver.js';
import { api, waitFor } from '../helpers/server.js';

/**
 * A full disk under SQLite, for real: the database lives on a small tmpfs
 * this test mounts (it must run as root, and fails otherwise), which a filler
 * file then fills to the last byte. Writes must answer 503
 * `database_unavailable` with a clear log line, the process must stay up,
 * and once the filler is deleted it must accept writes again by itself.
 * Every message answered 202 must be delivered.
 */

const TOKEN = 'hw_disk_full_token_0123456789abcdef';

function fill(path: string): number {
  const fd = openSync(path, 'w');
  const block = Buffer.alloc(64 * 1024, 1);
  let written = 0;
  try {
    for (;;) {
      try {
        written += writeSync(fd, block);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
        // The last blocks that still fit, byte by byte in smaller pieces.
        for (let size = 32 * 1024; size >= 1; size = Math.floor(size / 2)) {
          try {
            for (;;) written += writeSync(fd, block.subarray(0, size));
          } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
          }
        }
        return written;
      }
    }
  } finally {
    closeSync(fd);
  }
}

describe('disk full on SQLite (tmpfs)', () => {
  let mountPoint = '';
  let mounted = false;
  let server: ServerProcess | undefined;
  let receiver: Receiver | undefined;

  beforeAll(async () => {
    if (process.getuid?.() !== 0) throw new Error('the disk-full test must run as root (it mounts a tmpfs)');
    mountPoint = mkdtempSync(join(tmpdir(), 'hookway-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=6m', 'tmpfs', mountPoint]);
    mounted = true;
    receiver = await Receiver.start(() => ({ status: 200 }));
  });

  afterAll(async () => {
    await server?.kill('SIGKILL');
    await receiver?.close();
    if (mounted) execFileSync('umount', ['-l', mountPoint]);
    if (mountPoint) rmdirSync(mountPoint);
  });

  it('refuses writes with 503 and a log line while full, loses nothing acknowledged, and recovers by itself', async () => {
    server = await spawnServer({
      HOOKWAY_DATABASE_URL: `sqlite:${join(mountPoint, 'hookway.db')}`,
      HOOKWAY_PORT: '0',
      HOOKWAY_ADMIN_TOKEN: TOKEN,
      HOOKWAY_ALLOWED_TARGETS: '127.0.0.0/8',
      HOOKWAY_MASTER_KEY: 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
      HOOKWAY_RETRY_SCHEDULE: '1,1,1',
      HOOKWAY_LEASE_MS: '3000',
      HOOKWAY_LOG_LEVEL: 'info',
    });
    const node = { url: server.url, token: TOKEN };
    const app = await api(node, 'POST', '/api/v1/app', { name: 'disk-full' });
    expect(app.status).toBe(201);
    expect((await api(node, 'POST', `/api/v1/app/${app.body.id}/endpoint`, { url: receiver?.url })).status).toBe(201);

    const accepted: string[] = [];
    const post = async (i: number) => {
      const started = Date.now();
      const res = await api(node, 'POST', `/api/v1/app/${app.body.id}/msg`, {
        eventType: 'disk.full',
        payload: { i, pad: 'p'.repeat(2_000) },
      });
      if (res.status === 202) accepted.push(res.body.id);
      return { ...res, ms: Date.now() - started };
    };
    for (let i = 0; i < 20; i++) expect((await post(i)).status).toBe(202);

    const filler = join(mountPoint, 'filler');
    const filled = fill(filler);
    expect(filled).toBeGreaterThan(0);
    // Pages SQLite already holds may take a few more messages; then it must refuse.
    const refused = [];
    for (let i = 100; i < 400 && refused.length < 10; i++) {
      const res = await post(i);
      expect([202, 503], JSON.stringify(res.body)).toContain(res.status);
      if (res.status === 503) {
        expect(res.body).toMatchObject({ code: 'database_unavailable' });
        expect(res.body.detail).toMatch(/disk is full/);
        expect(res.ms).toBeLessThan(2_000);
        refused.push(res);
      }
    }
    expect(refused.length).toBe(10);
    await waitFor(() => /database unavailable: the SQLite disk is full/.test(server?.output() ?? ''), 5_000);
    expect(server.child.exitCode, server.output()).toBeNull();

    rmSync(filler);
    const back = await waitFor(async () => ((await post(1_000)).status === 202 ? true : null), 10_000, 200);
    expect(back).toBe(true);
    for (let i = 1_001; i < 1_020; i++) expect((await post(i)).status).toBe(202);
    await waitFor(() => /database available again after/.test(server?.output() ?? ''), 5_000);
    expect(server.child.exitCode, server.output()).toBeNull();

    const got = () => new Set(receiver?.received.map((r) => r.headers['webhook-id']));
    await waitFor(() => accepted.every((id) => got().has(id)), 30_000, 100).catch(() => {
      throw new Error(
        `${accepted.filter((id) => !got().has(id)).length} of ${accepted.length} accepted messages were not delivered`,
      );
    });
  }, 120_000);
});
