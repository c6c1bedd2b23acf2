import { fileURLToPath } from 'node:url';
import { listMigrations, type MigrationFile } from '../migrations.js';
import type { Db } from './db.js';

/**
 * Migrations: `migrations/NNNN_name.sql`, append-only, same numbers as the
 * SQLite set. The ledger is `hookway_migrations(id, name, applied_at)`.
 *
 * Two nodes may start at once. Each migration runs in its own transaction
 * that first takes a transaction-scoped advisory lock (one per schema), then
 * inserts its ledger row, then runs the file (graphile-worker's order): the
 * second node waits on the lock, finds the row and skips. Even a migrator
 * that ignored the lock would block on the ledger row's primary key until
 * the first commits, and then skip instead of running a file twice.
 */

/** Copied next to the built module by scripts/copy-assets.mjs. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/** One lock per schema, so tests migrating their own schemas do not queue behind each other. */
const LOCK = "SELECT pg_advisory_xact_lock(hashtext('hookway_migrate:' || $1))";

export async function migrate(
  db: Db,
  files: MigrationFile[] = listMigrations(MIGRATIONS_DIR),
): Promise<{ applied: string[] }> {
  await db.tx(async (c) => {
    await c.query(LOCK, [db.schema]);
    // Checked first: CREATE SCHEMA IF NOT EXISTS still needs CREATE on the database,
    // which an application role often lacks even when its schema is already there.
    const exists = await c.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [db.schema]);
    if (exists.rowCount === 0) await c.query(`CREATE SCHEMA ${db.schema}`);
    await c.query(
      `CREATE TABLE IF NOT EXISTS ${db.schema}.hookway_migrations (
         id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`,
    );
  });
  const applied: string[] = [];
  for (const file of files) {
    const ran = await db.tx(async (c) => {
      await c.query(LOCK, [db.schema]);
      const inserted = await c.query(
        'INSERT INTO hookway_migrations (id, name, applied_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING',
        [file.id, file.name, Date.now()],
      );
      if (inserted.rowCount === 0) return false;
      await c.query(file.sql);
      return true;
    });
    if (ran) applied.push(file.name);
  }
  return { applied };
}
