import { fileURLToPath } from 'node:url';
import { listMigrations, type MigrationFile } from '../migrations.js';
import type { Db } from './db.js';

/**
 * Applies `migrations/NNNN_name.sql` (copied next to the built module by
 * scripts/copy-assets.mjs). Each file runs in its own BEGIN IMMEDIATE
 * transaction, SQLite's write lock, which first inserts the ledger row
 * (graphile-worker's order). A second process migrating the same file waits
 * on the lock (busy_timeout), then finds the row and skips; were it ever to
 * get past the check, the ledger's primary key would stop it before the file
 * ran twice.
 */

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

export function migrate(db: Db, files: MigrationFile[] = listMigrations(MIGRATIONS_DIR)): { applied: string[] } {
  db.exec(`CREATE TABLE IF NOT EXISTS hookway_migrations (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const seen = db.prepare<[number], { id: number }>('SELECT id FROM hookway_migrations WHERE id = ?');
  const record = db.prepare<[number, string, number]>(
    'INSERT INTO hookway_migrations (id, name, applied_at) VALUES (?, ?, ?)',
  );
  const applyOne = db.transaction((file: MigrationFile): boolean => {
    if (seen.get(file.id)) return false;
    record.run(file.id, file.name, Date.now());
    db.exec(file.sql);
    return true;
  });
  const applied: string[] = [];
  for (const file of files) {
    if (applyOne.immediate(file)) applied.push(file.name);
  }
  return { applied };
}
