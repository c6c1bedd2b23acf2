import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Migration files, for both dialects: `NNNN_name.sql`, append-only, never
 * edited once shipped (BullMQ's "never edit or reorder"). This module only
 * finds and reads them; each adapter applies them under its own lock.
 */

export interface MigrationFile {
  id: number;
  /** The file name without `.sql`, e.g. `0001_init`: what the ledger and `migrate()` report. */
  name: string;
  sql: string;
}

const FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** `0001_init.sql` -> `{id: 1, name: '0001_init'}`; anything else (README, editor backups) -> null. */
export function parseMigrationName(file: string): { id: number; name: string } | null {
  const m = FILE.exec(file);
  return m ? { id: Number(m[1]), name: file.slice(0, -'.sql'.length) } : null;
}

/** The migrations in `dir`, in order. Two files with one number is a packaging error, so it throws. */
export function listMigrations(dir: string): MigrationFile[] {
  const files = readdirSync(dir)
    .map((file) => ({ file, parsed: parseMigrationName(file) }))
    .filter((f): f is { file: string; parsed: { id: number; name: string } } => f.parsed !== null)
    .sort((a, b) => a.parsed.id - b.parsed.id);
  for (let i = 1; i < files.length; i++) {
    if (files[i]?.parsed.id === files[i - 1]?.parsed.id) {
      throw new Error(`Two migrations numbered ${files[i]?.parsed.id} in ${dir}`);
    }
  }
  return files.map(({ file, parsed }) => ({ ...parsed, sql: readFileSync(join(dir, file), 'utf8') }));
}
