import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createCipher } from '../../src/core/cipher.js';
import { newId } from '../../src/core/ids.js';
import type { Endpoint } from '../../src/core/types.js';
import { listMigrations } from '../../src/store/migrations.js';
import type { Store } from '../../src/store/port.js';
import { createDb } from '../../src/store/postgres/db.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { MIGRATIONS_DIR, migrate } from '../../src/store/postgres/migrate.js';
import { dropSchema, openTestPgStore, schemaName, TEST_DATABASE_URL, testCipher, withPgClient } from '../helpers/pg.js';
import { createApp, createEndpoint, message, publish, T0 } from '../helpers/store-fixtures.js';
import { storeContract } from './contract.js';
import { drainFifoConcurrently } from './fifo-contract.js';

/**
 * The PostgreSQL adapter against a real server (HOOKWAY_TEST_DATABASE_URL, or
 * the local default). Each test gets a schema of its own, dropped afterwards.
 * When the server is unreachable these tests fail; they never skip.
 */

let contractSchema: string | undefined;
storeContract(
  'postgres',
  async () => {
    contractSchema = schemaName('contract');
    return openPostgresStore({ url: TEST_DATABASE_URL, cipher: testCipher(), schema: contractSchema, poolSize: 4 });
  },
  async () => {
    if (contractSchema) await dropSchema(contractSchema);
    contractSchema = undefined;
  },
);

describe('PostgreSQL store', () => {
  const stores: Store[] = [];
  const schemas = new Set<string>();
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    for (const s of schemas) await dropSchema(s);
    schemas.clear();
  });

  // Stores sharing a schema must share the master key, like nodes of one deployment.
  const cipher = testCipher();
  async function open(opts: { schema?: string; label?: string } = {}): Promise<Store> {
    const t = await openTestPgStore({ ...opts, cipher });
    stores.push(t.store);
    schemas.add(t.schema);
    return t.store;
  }

  const ledger = (schema: string) =>
    withPgClient(async (c) => (await c.query(`SELECT id, name FROM ${schema}.hookway_migrations ORDER BY id`)).rows);

  it('two stores migrating one new schema at once apply each migration exactly once', async () => {
    const schema = schemaName('migrate_race');
    schemas.add(schema);
    const a = await openPostgresStore({ url: TEST_DATABASE_URL, cipher: testCipher(), schema });
    const b = await openPostgresStore({ url: TEST_DATABASE_URL, cipher: testCipher(), schema });
    stores.push(a, b);
    const [ra, rb] = await Promise.all([a.migrate(), b.migrate()]);
    const all = listMigrations(MIGRATIONS_DIR).map((m) => m.name);
    expect([...ra.applied, ...rb.applied].sort()).toEqual(all);
    expect(await ledger(schema)).toEqual(listMigrations(MIGRATIONS_DIR).map(({ id, name }) => ({ id, name })));
    // Both stores work on the result.
    const app = await createApp(a);
    expect(await b.getApp(app.id)).toEqual(app);
  });

  it('a failing migration rolls back with its ledger row, so the next start retries it', async () => {
    const schema = schemaName('migrate_fail');
    schemas.add(schema);
    const db = createDb({ url: TEST_DATABASE_URL, schema });
    try {
      const bad = { id: 1, name: '0001_bad', sql: 'CREATE TABLE t (x INTEGER); INSERT INTO nope VALUES (1);' };
      await expect(migrate(db, [bad])).rejects.toThrow(/nope/);
      expect(await ledger(schema)).toEqual([]);
      expect((await db.query("SELECT to_regclass('t') AS t")).rows[0].t).toBeNull();
      expect(await migrate(db, [{ ...bad, sql: 'CREATE TABLE t (x INTEGER);' }])).toEqual({ applied: ['0001_bad'] });
    } finally {
      await db.pool.end();
    }
  });

  it('refuses a schema name that would need quoting', async () => {
    for (const schema of ['Public', 'a-b', 'x; DROP TABLE y', '', '1abc', 'a'.repeat(49)]) {
      await expect(openPostgresStore({ url: TEST_DATABASE_URL, cipher: testCipher(), schema })).rejects.toThrow(
        /schema/,
      );
    }
  });

  it('two stores claiming one queue of 500 deliveries concurrently never claim one twice', async () => {
    const a = await open({ label: 'claim_race' });
    const schema = [...schemas][0]!;
    const b = await open({ schema });
    const app = await createApp(a);
    const eps: Array<{ id: string }> = [];
    for (let i = 0; i < 5; i++) eps.push(await createEndpoint(a, app.id));
    const batch = Array.from({ length: 100 }, () => ({
      message: message(app.id),
      endpointIds: eps.map((e) => e.id),
    }));
    await a.createMessages(batch, T0);
    expect(await a.countDeliveries({ status: 'pending' })).toBe(500);

    const seen: string[] = [];
    const worker = async (store: Store) => {
      for (;;) {
        const claimed = await store.claimDeliveries(T0 + 1, 7, 60_000, []);
        if (claimed.length === 0) return;
        for (const c of claimed) seen.push(c.delivery.id);
      }
    };
    // Four claimers per store, each on its own pooled connection.
    await Promise.all([a, b, a, b, a, b, a, b].map(worker));
    expect(seen).toHaveLength(500);
    expect(new Set(seen).size).toBe(500);
    expect(await b.countDeliveries({ status: 'sending' })).toBe(500);
  });

  it('two stores draining FIFO endpoints concurrently never have two of one endpoint out, and keep the order', async () => {
    const a = await open({ label: 'fifo_race' });
    const b = await open({ schema: [...schemas][0]! });
    const app = await createApp(a);
    const eps: Endpoint[] = [];
    for (let i = 0; i < 3; i++) eps.push(await createEndpoint(a, app.id, { fifo: true }));
    // Both stores publish at once: the sequence is the commit order, whichever node commits.
    const published = await Promise.all(
      [a, b].map(async (s) => {
        const ids: string[] = [];
        for (let i = 0; i < 20; i++) {
          const m = message(app.id);
          await s.createMessages([{ message: m, endpointIds: eps.map((e) => e.id) }], T0);
          ids.push(m.id);
        }
        return ids;
      }),
    );
    const seen = await drainFifoConcurrently([a, b], 120);
    const orders = eps.map((e) => seen.get(e.id) ?? []);
    // One commit numbered all three endpoints: they get one order, which keeps each node's own order.
    expect(orders[1]).toEqual(orders[0]);
    expect(orders[2]).toEqual(orders[0]);
    for (const ids of published) expect(orders[0]?.filter((id) => ids.includes(id))).toEqual(ids);
    expect(orders[0]).toHaveLength(40);
  });

  it('skips rows another transaction has locked instead of waiting for them', async () => {
    const store = await open({ label: 'skip_locked' });
    const schema = [...schemas][0]!;
    const app = await createApp(store);
    const ep = await createEndpoint(store, app.id);
    for (let i = 0; i < 3; i++) await publish(store, app.id, [ep.id], {}, T0 + i);
    await withPgClient(async (c) => {
      await c.query('BEGIN');
      const { rows } = await c.query(`SELECT id FROM ${schema}.deliveries ORDER BY next_attempt_at LIMIT 1 FOR UPDATE`);
      const claimed = await store.claimDeliveries(T0 + 10, 10, 60_000, []);
      expect(claimed).toHaveLength(2);
      expect(claimed.map((x) => x.delivery.id)).not.toContain(rows[0].id);
      await c.query('ROLLBACK');
    });
    expect(await store.claimDeliveries(T0 + 10, 10, 60_000, [])).toHaveLength(1);
  });

  it('a message created on store A wakes a listener on store B', async () => {
    const a = await open({ label: 'wake' });
    const b = await open({ schema: [...schemas][0]! });
    const app = await createApp(a);
    const ep = await createEndpoint(a, app.id);
    let woken = 0;
    const off = b.onWake(() => woken++);
    try {
      // The listener connects in the background; publish until it has heard one.
      const deadline = Date.now() + 10_000;
      while (woken === 0 && Date.now() < deadline) {
        await publish(a, app.id, [ep.id]);
        await sleep(50);
      }
      expect(woken).toBeGreaterThan(0);
      // Every commit is heard: the random payload keeps notifications from being merged.
      const before = woken;
      for (let i = 0; i < 3; i++) await publish(a, app.id, [ep.id]);
      await waitFor(() => woken >= before + 3);
    } finally {
      off();
    }
  });

  it('a rolled-back batch wakes nobody, and another schema does not wake this one', async () => {
    // A store ignores its own notifications (it woke its dispatcher in-process), so the
    // work is queued by a second store on the same schema: another node.
    const t = await openTestPgStore({ label: 'wake_rollback', cipher });
    stores.push(t.store);
    schemas.add(t.schema);
    const listener = t.store;
    const a = await open({ schema: t.schema });
    const other = await open({ label: 'wake_other' });
    const app = await createApp(a);
    const ep = await createEndpoint(a, app.id);
    const otherApp = await createApp(other);
    const otherEp = await createEndpoint(other, otherApp.id);
    let woken = 0;
    const off = listener.onWake(() => woken++);
    try {
      const deadline = Date.now() + 10_000;
      while (woken === 0 && Date.now() < deadline) {
        await publish(a, app.id, [ep.id], { eventId: `warm-${Date.now()}-${Math.random()}` });
        await sleep(50);
      }
      expect(woken).toBeGreaterThan(0);
      await sleep(200);
      const settled = woken;
      await publish(a, app.id, [ep.id], { eventId: 'dup' });
      await waitFor(() => woken === settled + 1);
      await expect(publish(a, app.id, [ep.id], { eventId: 'dup' })).rejects.toMatchObject({ code: 'conflict' });
      await publish(other, otherApp.id, [otherEp.id]);
      await sleep(300);
      expect(woken).toBe(settled + 1);
    } finally {
      off();
    }
  });

  it('the listener reconnects after its connection is killed and wakes once on reconnect', async () => {
    const t = await openTestPgStore({ label: 'wake_reconnect', cipher });
    stores.push(t.store);
    schemas.add(t.schema);
    const listener = t.store;
    // The publisher is another store (node): a store ignores its own notifications.
    const store = await open({ schema: t.schema });
    const app = await createApp(store);
    const ep = await createEndpoint(store, app.id);
    let woken = 0;
    const off = listener.onWake(() => woken++);
    try {
      const deadline = Date.now() + 10_000;
      while (woken === 0 && Date.now() < deadline) {
        await publish(store, app.id, [ep.id]);
        await sleep(50);
      }
      expect(woken).toBeGreaterThan(0);
      await sleep(200);
      const before = woken;
      const killed = await withPgClient(async (c) => {
        const { rows } = await c.query(
          `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
           WHERE application_name = 'hookway-wake' AND query = 'LISTEN "hookway_wake_' || $1 || '"'`,
          [t.schema],
        );
        return rows.length;
      });
      expect(killed).toBe(1);
      // The reconnect itself wakes the listener once (notifications may have been missed)...
      await waitFor(() => woken === before + 1);
      // ...and notifications arrive again afterwards.
      await publish(store, app.id, [ep.id]);
      await waitFor(() => woken === before + 2);
    } finally {
      off();
    }
  });

  it('parses int8 as a number on its own pool only, and stores no plaintext secret', async () => {
    const store = await open({ label: 'int8' });
    const schema = [...schemas][0]!;
    const db = createDb({ url: TEST_DATABASE_URL, schema });
    try {
      expect((await db.query('SELECT count(*) AS n, 9007199254740991::int8 AS max')).rows[0]).toEqual({
        n: 1,
        max: Number.MAX_SAFE_INTEGER,
      });
    } finally {
      await db.pool.end();
    }
    // ...and only there: the process-wide parser still gives strings.
    expect(pg.types.getTypeParser(20)('12')).toBe('12');
    const app = await createApp(store);
    const ep = await createEndpoint(store, app.id);
    expect(typeof (await store.getApp(app.id))?.createdAt).toBe('number');
    expect(ep.secrets[0]?.key.startsWith('whsec_')).toBe(true);
    const raw = await withPgClient(async (c) => (await c.query(`SELECT secrets FROM ${schema}.endpoints`)).rows);
    expect(JSON.stringify(raw)).not.toContain('whsec_');
  });
});

describe('PostgreSQL store: security operations', () => {
  const schemas: string[] = [];
  afterEach(async () => {
    for (const s of schemas.splice(0)) await dropSchema(s);
  });

  it('reencryptSecrets rewrites every secret under the new key in one transaction', async () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const { store, schema } = await openTestPgStore({ label: 'rekey', cipher: createCipher([oldKey]) });
    schemas.push(schema);
    let rotated: Store | undefined;
    try {
      const app = await createApp(store);
      const eps = [await createEndpoint(store, app.id), await createEndpoint(store, app.id)];
      const both = createCipher([newKey, oldKey]);
      const result = await store.reencryptSecrets((stored) => both.encrypt(both.decrypt(stored)));
      expect(result.tables).toContain('endpoints');
      expect(result.values).toBeGreaterThanOrEqual(2);
      rotated = await openPostgresStore({ url: TEST_DATABASE_URL, cipher: createCipher([newKey]), schema });
      for (const ep of eps) expect(await rotated.getEndpoint(app.id, ep.id)).toEqual(ep);
      // A value no key decrypts aborts the whole rotation, leaving every row as it was.
      const before = await withPgClient(async (c) => (await c.query(`SELECT secrets FROM ${schema}.endpoints`)).rows);
      await expect(
        rotated.reencryptSecrets(() => {
          throw new Error('no key');
        }),
      ).rejects.toThrow('no key');
      const after = await withPgClient(async (c) => (await c.query(`SELECT secrets FROM ${schema}.endpoints`)).rows);
      expect(after).toEqual(before);
    } finally {
      await rotated?.close();
      await store.close();
    }
  });

  it('pages keys, expires a group by name without extending, and pages the audit log', async () => {
    const { store, schema } = await openTestPgStore({ label: 'security' });
    schemas.push(schema);
    try {
      const key = (name: string, expiresAt: number | null) => ({
        id: newId('key'),
        name,
        prefix: 'hw_x',
        hash: `h-${newId('key')}`,
        scopes: [],
        createdAt: T0,
        lastUsedAt: null,
        expiresAt,
        revokedAt: null,
      });
      const k1 = key('portal', null);
      const k2 = key('portal', T0 + 10);
      const k3 = key('other', null);
      for (const k of [k1, k2, k3]) await store.createApiKey(k);
      expect(await store.getApiKey(k1.id)).toEqual(k1);
      expect(await store.getApiKey('\u0000')).toBeNull();
      const page = await store.listApiKeysPage({ limit: 2 });
      expect(page.data.map((k) => k.id)).toEqual([k3.id, k2.id]);
      expect(page.done).toBe(false);
      expect(await store.expireApiKeysByName('portal', T0 + 100)).toBe(1);
      expect((await store.getApiKey(k2.id))?.expiresAt).toBe(T0 + 10);
      expect((await store.getApiKey(k1.id))?.expiresAt).toBe(T0 + 100);

      const entry = (appId: string | null) => ({
        id: newId('audit'),
        at: T0,
        keyId: k1.id,
        method: 'POST',
        route: '/api/v1/app',
        path: '/api/v1/app',
        status: 201,
        appId,
        entityId: null,
        params: { app_id: 'x' },
      });
      const entries = [entry('app_a'), entry(null), entry('app_a')];
      await store.recordAudit(entries);
      await store.recordAudit([]);
      const all = await store.listAudit({}, { limit: 10 });
      expect(all.data).toEqual([...entries].reverse());
      const byApp = await store.listAudit({ appId: 'app_a' }, { limit: 1 });
      expect(byApp.data.map((e) => e.id)).toEqual([entries[2]!.id]);
      expect(byApp.done).toBe(false);
    } finally {
      await store.close();
    }
  });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(cond: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(20);
  }
}
