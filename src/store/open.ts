import type { Config } from '../config.js';
import { sqlitePathOf } from '../config.js';
import type { Cipher } from '../core/cipher.js';
import type { ClassifyFault } from './availability.js';
import type { Store } from './port.js';
import { classifyPgFault } from './postgres/faults.js';
import { classifySqliteFault } from './sqlite/errors.js';

/** Picks the adapter from the database URL; the pg module is loaded only when used. */
export async function openStore(config: Config, cipher: Cipher): Promise<Store> {
  const path = sqlitePathOf(config);
  if (path) {
    const { openSqliteStore } = await import('./sqlite/index.js');
    return openSqliteStore({ path, cipher });
  }
  const { openPostgresStore } = await import('./postgres/index.js');
  return openPostgresStore({ url: config.databaseUrl, cipher, schema: config.databaseSchema });
}

/** How this database's driver says "I am not there" (see availability.ts). */
export function faultClassifier(config: Config): ClassifyFault {
  return sqlitePathOf(config) ? classifySqliteFault : classifyPgFault;
}

/** The database named without its password, for start-up output and logs. */
export function describeDatabase(config: Config): string {
  const path = sqlitePathOf(config);
  if (path) return `SQLite ${path}`;
  const u = new URL(config.databaseUrl);
  u.password = '';
  return `PostgreSQL ${u.toString()}`;
}
