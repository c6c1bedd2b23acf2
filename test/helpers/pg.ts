import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Cipher, createCipher } from '../../src/core/cipher.js';
import type { Store } from '../../src/store/port.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';

/**
 * PostgreSQL for tests: a real server, one schema per test (pg-boss's
 * test/hooks.ts habit), dropped afterwards. Nothing here swallows connection
 * errors: when the server is unreachable the tests fail, they never skip.
 */

export const TEST_DATABASE_URL = process.env['HOOKWAY_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export function testCipher(): Cipher {
  return createCipher([randomBytes(32)]);
}

/** A fresh, unused schema name, readable in pg_namespace: `hw_<label>_<random>`. */
export function schemaName(label = 'test'): string {
  const slug = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 24);
  return `hw_${slug || 'test'}_${randomBytes(5).toString('hex')}`;
}

export async function withPgClient<T>(fn: (c: pg.Client) => Promise<T>, url = TEST_DATABASE_URL): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function dropSchema(schema: string): Promise<void> {
  await withPgClient((c) => c.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`));
}

export interface TestPgStore {
  store: Store;
  schema: string;
  cipher: Cipher;
}

/** Opens and migrates a store on a schema of its own (or on `schema`, to share it between stores). */
export async function openTestPgStore(
  opts: { schema?: string; cipher?: Cipher; label?: string } = {},
): Promise<TestPgStore> {
  const schema = opts.schema ?? schemaName(opts.label);
  const cipher = opts.cipher ?? testCipher();
  const store = await openPostgresStore({ url: TEST_DATABASE_URL, cipher, schema, poolSize: 4 });
  try {
    await store.migrate();
  } catch (err) {
    await store.close();
    throw err;
  }
  return { store, schema, cipher };
}
