import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Cipher } from '../../core/cipher.js';
import type { PageRequest } from '../../core/types.js';
import { fetchOrder, type Row } from '../rows.js';
import { AUTO_CHECKPOINT_PAGES } from './checkpointer.js';

/**
 * The connection context every entity module receives: one better-sqlite3
 * connection, the cipher for secrets, and `prepare`, which compiles a
 * statement once, on first use. It cannot compile at open time: the tables
 * only exist after `migrate()`.
 */

export type Db = Database.Database;
export type Statement = Database.Statement<unknown[], Row>;
export type Lazy = () => Statement;

export interface Ctx {
  readonly db: Db;
  readonly cipher: Cipher;
  prepare(sql: string): Lazy;
  /**
   * A second connection for engine bookkeeping (claims, lease releases,
   * attempt records), opened with synchronous=NORMAL: in WAL mode such a
   * commit survives a process crash (kill -9) but not a power loss, and
   * losing one only means a delivery is sent again (at least once); the next
   * FULL commit on the main connection syncs its frames too. Everything a
   * client is answered 2xx for is on the FULL connection, or on this one
   * followed by `durable()` (the hot writes: new messages, inbound events,
   * whose fsync must not block the event loop). Measured here:
   * a FULL commit blocks the event loop ~0.2 ms, and switching the pragma per
   * transaction cost more than a second connection.
   */
  readonly engine: Ctx;
  /**
   * Makes every commit made so far on either connection durable (see wal-sync.ts): a write
   * committed on the engine connection and answered 2xx waits for this first.
   */
  durable(): Promise<void>;
}

/**
 * Page cache per connection, in KiB. better-sqlite3 builds SQLite with 16 MB per connection, and
 * with a backlog of pending deliveries the engine and main connections fill theirs: 32 MB of the
 * server's RSS, against a target of 150 MB in all. Pages that fall out are still in the OS page
 * cache, a pread away.
 */
export const CACHE_KIB = 4096;

export function openDb(path: string, synchronous: 'FULL' | 'NORMAL' = 'FULL'): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  // busy_timeout first: switching to WAL needs a lock another process may hold.
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  // FULL by default: in WAL mode NORMAL may lose the last commits on power loss,
  // and a 2xx means the message is durable. Only the engine connection is NORMAL.
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('foreign_keys = ON');
  db.pragma(`cache_size = -${CACHE_KIB}`);
  // Checkpoints run in a worker thread (checkpointer.ts); this is only the safety net.
  db.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
  return db;
}

export function createCtx(db: Db, cipher: Cipher, engineDb?: Db, durable?: () => Promise<void>): Ctx {
  const ctx: Ctx = {
    db,
    cipher,
    durable: durable ?? (async () => {}),
    get engine(): Ctx {
      return engine;
    },
    prepare(sql) {
      let stmt: Statement | undefined;
      return () => {
        stmt ??= db.prepare<unknown[], Row>(sql);
        return stmt;
      };
    },
  };
  const engine: Ctx = engineDb ? createCtx(engineDb, cipher, undefined, durable) : ctx;
  return ctx;
}

/**
 * Keyset pagination: one statement per direction, because ORDER BY cannot be
 * bound. `build` gets the sort direction and the comparison that moves past
 * the iterator. Without an iterator the bound is a value beyond every key, so
 * one statement serves both cases and still seeks on the index.
 */
export type Ordered = (order: 'asc' | 'desc') => Statement;

export function prepareOrdered(ctx: Ctx, build: (dir: 'ASC' | 'DESC', past: '>' | '<') => string): Ordered {
  const asc = ctx.prepare(build('ASC', '>'));
  const desc = ctx.prepare(build('DESC', '<'));
  return (order) => (order === 'asc' ? asc() : desc());
}

const ABOVE_ALL = '\u{10FFFF}';

/** The bound for `@after` (the iterator is user input: any string is just a bound, never an error). */
export function pageBound(page: PageRequest, order: 'asc' | 'desc'): string {
  if (page.iterator !== undefined && page.iterator !== '') return page.iterator;
  return order === 'asc' ? '' : ABOVE_ALL;
}

/** The order a list's rows are fetched in: newest first unless asked otherwise (Svix's default), turned around for a prev page. */
export function pageOrder(page: PageRequest, fallback: 'asc' | 'desc' = 'desc'): 'asc' | 'desc' {
  return fetchOrder(page, fallback);
}
