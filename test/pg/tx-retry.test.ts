import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../src/store/postgres/db.js';
import { freshPgSchema } from '../helpers/server.js';

/** A transaction PostgreSQL rolls back as a deadlock victim runs again instead of failing its caller. */
describe('PostgreSQL transactions', () => {
  let db: Db;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const s = await freshPgSchema('txretry');
    drop = s.drop;
    const admin = createDb({ url: s.url, schema: 'public' });
    await admin.query(`CREATE SCHEMA ${s.schema}`);
    await admin.end();
    db = createDb({ url: s.url, schema: s.schema });
    await db.query('CREATE TABLE t (id int PRIMARY KEY, n int NOT NULL)');
    await db.query('INSERT INTO t VALUES (1, 0), (2, 0)');
  });
  afterAll(async () => {
    await db?.end();
    await drop?.();
  });

  it('two transactions locking two rows in opposite order both commit: the deadlock victim is run again', async () => {
    let runs = 0;
    let bothLocked!: () => void;
    const gate = new Promise<void>((r) => {
      bothLocked = r;
    });
    let locked = 0;
    const lockThen = (first: number, second: number) =>
      db.tx(async (c) => {
        runs++;
        await c.query('UPDATE t SET n = n + 1 WHERE id = $1', [first]);
        // Both hold their first row before either asks for its second: a certain deadlock.
        if (++locked === 2) bothLocked();
        await gate;
        await c.query('UPDATE t SET n = n + 1 WHERE id = $1', [second]);
      });
    await Promise.all([lockThen(1, 2), lockThen(2, 1)]);
    expect(runs).toBe(3);
    const { rows } = await db.query('SELECT id, n FROM t ORDER BY id');
    expect(rows.map((r) => Number(r.n))).toEqual([2, 2]);
  });
});
