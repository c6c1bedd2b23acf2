import { HookwayError } from '../../core/errors.js';

/** better-sqlite3 throws SqliteError with an extended result code, e.g. SQLITE_CONSTRAINT_UNIQUE. */
function sqliteCode(err: unknown): string | undefined {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

export function isUniqueViolation(err: unknown): boolean {
  const code = sqliteCode(err);
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * Runs `fn` and turns constraint failures into catalogue errors: a duplicate
 * into 409 `conflict` with `detail`, a missing parent row (foreign key) into
 * 404 `not_found`. The constraint, not a pre-check, is the guarantee.
 */
export function mapConstraint<T>(detail: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (isUniqueViolation(err)) throw new HookwayError('conflict', detail, { cause: err });
    if (sqliteCode(err) === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
      throw new HookwayError('not_found', 'A referenced entity does not exist.', { cause: err });
    }
    throw err;
  }
}

/**
 * Which SQLite errors mean "the file cannot be written" (disk full, I/O
 * error) rather than "this statement is wrong". SQLite rolls the failed
 * transaction back, so nothing half-written is left; writes work again as
 * soon as space returns.
 */
export function classifySqliteFault(err: unknown): string | null {
  const code = sqliteCode(err);
  if (code === 'SQLITE_FULL') return 'the SQLite disk is full (SQLITE_FULL)';
  if (code?.startsWith('SQLITE_IOERR')) return `the SQLite file cannot be written (${code})`;
  if (code === 'SQLITE_CANTOPEN') return 'the SQLite file cannot be opened (SQLITE_CANTOPEN)';
  return null;
}
