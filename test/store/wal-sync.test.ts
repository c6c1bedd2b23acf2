import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../../src/store/sqlite/db.js';
import { createWalSync } from '../../src/store/sqlite/wal-sync.js';

/** The WAL fsync that makes NORMAL commits durable before their 2xx: one in flight, later calls share the next. */
describe('WAL sync', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  function database() {
    const dir = mkdtempSync(join(tmpdir(), 'hookway-wal-'));
    dirs.push(dir);
    const path = join(dir, 'db.sqlite');
    const db = openDb(path, 'NORMAL');
    db.exec('CREATE TABLE t (v TEXT)');
    return { db, path };
  }

  it('calls made while an fsync runs share the one after it; a call after both starts a new one', async () => {
    const { db, path } = database();
    const wal = createWalSync(path);
    db.prepare('INSERT INTO t VALUES (?)').run('a');
    const first = wal.sync();
    db.prepare('INSERT INTO t VALUES (?)').run('b');
    // Committed after the first fsync started: it must wait for one that starts later.
    const second = wal.sync();
    const third = wal.sync();
    expect(second).toBe(third);
    expect(second).not.toBe(first);
    await Promise.all([first, second]);
    const fourth = wal.sync();
    expect(fourth).not.toBe(second);
    await fourth;
    wal.close();
    db.close();
  });

  it('fails, rather than answering success, when the WAL file cannot be synced', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookway-wal-'));
    dirs.push(dir);
    const wal = createWalSync(join(dir, 'missing.sqlite'));
    await expect(wal.sync()).rejects.toThrow(/ENOENT/);
    // The next call tries again instead of reusing the failure.
    await expect(wal.sync()).rejects.toThrow(/ENOENT/);
  });
});
