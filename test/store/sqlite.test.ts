import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createCipher } from '../../src/core/cipher.js';
import { listMigrations, parseMigrationName } from '../../src/store/migrations.js';
import type { Store } from '../../src/store/port.js';
import { openDb } from '../../src/store/sqlite/db.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { MIGRATIONS_DIR, migrate } from '../../src/store/sqlite/migrate.js';
import { createApp, createEndpoint, publish, secret, T0 } from '../helpers/store-fixtures.js';
import { tmpDirs } from '../helpers/tmp.js';
import { storeContract } from './contract.js';

const dirs = tmpDirs('hookway-sqlite-');
const cipher = () => createCipher([randomBytes(32)]);
const openFresh = () => openSqliteStore({ path: join(dirs.make(), 'hookway.db'), cipher: cipher() });

storeContract('sqlite', openFresh, async () => dirs.cleanup());

describe('SQLite store', () => {
  const open: Store[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    dirs.cleanup();
  });
  async function track(p: Promise<Store>): Promise<Store> {
    const s = await p;
    open.push(s);
    return s;
  }

  it('creates the parent directory and applies every migration once, in WAL mode', async () => {
    const path = join(dirs.make(), 'nested', 'deeper', 'hookway.db');
    const store = await track(openSqliteStore({ path, cipher: cipher() }));
    const all = listMigrations(MIGRATIONS_DIR).map((m) => m.name);
    expect(all[0]).toBe('0001_init');
    expect(await store.migrate()).toEqual({ applied: all });
    expect(await store.migrate()).toEqual({ applied: [] });
    const db = new Database(path, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.prepare('SELECT id, name FROM hookway_migrations ORDER BY id').all()).toEqual(
        listMigrations(MIGRATIONS_DIR).map(({ id, name }) => ({ id, name })),
      );
    } finally {
      db.close();
    }
  });

  it('sets the durability pragmas on its connection', () => {
    const db = openDb(join(dirs.make(), 'p.db'));
    try {
      expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    } finally {
      db.close();
    }
  });

  it('never writes a plaintext whsec_ secret to the database files', async () => {
    const dir = dirs.make();
    const path = join(dir, 'hookway.db');
    const store = await openSqliteStore({ path, cipher: cipher() });
    await store.migrate();
    const app = await createApp(store);
    for (let i = 0; i < 3; i++) {
      const ep = await createEndpoint(store, app.id, { url: `https://marker-${i}.example.com/` });
      const { createdAt: _c, updatedAt: _u, ...input } = ep;
      await store.updateEndpoint({ ...input, secrets: [{ key: secret(), expiresAt: null }, ...ep.secrets] }, T0 + 1);
      await publish(store, app.id, [ep.id]);
    }
    await store.claimDeliveries(T0, 10, 1000, []);
    const scan = () => {
      const bytes = Buffer.concat(readdirSync(dir).map((f) => readFileSync(join(dir, f))));
      // The scan sees what was written (the URLs), so not finding whsec_ means something.
      expect(bytes.includes('marker-2.example.com')).toBe(true);
      expect(bytes.includes('whsec_')).toBe(false);
    };
    scan(); // main file and WAL, while open
    await store.close();
    scan(); // after the checkpoint on close
  });

  it('two processes migrating one new file at once both succeed and apply each migration once', async () => {
    const path = join(dirs.make(), 'race.db');
    const run = promisify(execFile);
    const startAt = String(Date.now() + 1500);
    const child = () =>
      run(process.execPath, ['--import', 'tsx', 'test/helpers/sqlite-migrate-child.ts', path, startAt], {
        cwd: join(import.meta.dirname, '..', '..'),
      });
    const results = await Promise.all([child(), child()]);
    const applied = results.flatMap((r) => (JSON.parse(r.stdout) as { applied: string[] }).applied);
    const all = listMigrations(MIGRATIONS_DIR).map((m) => m.name);
    expect(applied.sort()).toEqual([...all].sort());
    const db = new Database(path, { readonly: true });
    try {
      expect(db.prepare('SELECT COUNT(*) AS n FROM hookway_migrations').get()).toEqual({ n: all.length });
    } finally {
      db.close();
    }
  });

  it('two connections in one process migrating together both succeed', async () => {
    const path = join(dirs.make(), 'two.db');
    const a = await track(openSqliteStore({ path, cipher: cipher() }));
    const b = await track(openSqliteStore({ path, cipher: cipher() }));
    const [ra, rb] = await Promise.all([a.migrate(), b.migrate()]);
    expect([...ra.applied, ...rb.applied]).toEqual(listMigrations(MIGRATIONS_DIR).map((m) => m.name));
  });

  it('a failing migration rolls back with its ledger row, so the next start retries it', () => {
    const dir = dirs.make();
    const db = openDb(join(dir, 'bad.db'));
    try {
      const bad = { id: 1, name: '0001_bad', sql: 'CREATE TABLE t (x INTEGER); INSERT INTO nope VALUES (1);' };
      expect(() => migrate(db, [bad])).toThrow(/nope/);
      expect(db.prepare('SELECT COUNT(*) AS n FROM hookway_migrations').get()).toEqual({ n: 0 });
      expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 't'").get()).toBeUndefined();
      expect(migrate(db, [{ ...bad, sql: 'CREATE TABLE t (x INTEGER);' }])).toEqual({ applied: ['0001_bad'] });
    } finally {
      db.close();
    }
  });
});

describe('migration files', () => {
  afterEach(() => dirs.cleanup());

  it('parses NNNN_name.sql and ignores anything else', () => {
    expect(parseMigrationName('0001_init.sql')).toEqual({ id: 1, name: '0001_init' });
    expect(parseMigrationName('0012_add_sources.sql')).toEqual({ id: 12, name: '0012_add_sources' });
    for (const f of ['README.md', '1_init.sql', '0001_init.sql~', '0001-init.sql']) {
      expect(parseMigrationName(f)).toBeNull();
    }
  });

  it('lists in numeric order and refuses two files with one number', () => {
    const dir = dirs.make();
    writeFileSync(join(dir, '0002_b.sql'), 'B');
    writeFileSync(join(dir, '0001_a.sql'), 'A');
    writeFileSync(join(dir, 'notes.txt'), 'x');
    expect(listMigrations(dir)).toEqual([
      { id: 1, name: '0001_a', sql: 'A' },
      { id: 2, name: '0002_b', sql: 'B' },
    ]);
    writeFileSync(join(dir, '0002_c.sql'), 'C');
    expect(() => listMigrations(dir)).toThrow(/Two migrations numbered 2/);
  });
});
