import type { Cipher } from '../../core/cipher.js';
import type { Store } from '../port.js';
import { appOps } from './apps.js';
import { attemptOps } from './attempts.js';
import { startCheckpointer } from './checkpointer.js';
import { claimOps } from './claim.js';
import { createCtx, openDb } from './db.js';
import { deliveryOps } from './deliveries.js';
import { endpointMessageOps } from './endpoint-messages.js';
import { endpointOps } from './endpoints.js';
import { eventTypeOps } from './event-types.js';
import { fifoOps } from './fifo.js';
import { idempotencyOps } from './idempotency.js';
import { inboundOps } from './inbound.js';
import { keyOps } from './keys.js';
import { messageOps } from './messages.js';
import { migrate } from './migrate.js';
import { operationsStore } from './ops.js';
import { securityOps } from './security.js';
import { settingOps } from './settings.js';
import { createWalSync } from './wal-sync.js';

export interface SqliteStoreOptions {
  /** The database file; its directory is created if missing. */
  path: string;
  cipher: Cipher;
}

/**
 * The SQLite Store: one file, one node; a main connection and an engine
 * connection (see Ctx.engine). better-sqlite3 is
 * synchronous, so every operation completes before its promise is returned;
 * transactions never interleave. Call `migrate()` before anything else.
 */
export async function openSqliteStore(opts: SqliteStoreOptions): Promise<Store> {
  const db = openDb(opts.path);
  const engineDb = openDb(opts.path, 'NORMAL');
  const checkpointer = opts.path === ':memory:' ? null : startCheckpointer(opts.path);
  const wal = opts.path === ':memory:' ? null : createWalSync(opts.path);
  const ctx = createCtx(db, opts.cipher, engineDb, wal ? () => wal.sync() : undefined);
  return {
    dialect: 'sqlite',
    async migrate() {
      return migrate(db);
    },
    async close() {
      await checkpointer?.stop();
      if (engineDb.open) engineDb.close();
      if (db.open) db.close();
      wal?.close();
    },
    ...appOps(ctx),
    ...eventTypeOps(ctx),
    ...endpointOps(ctx),
    ...messageOps(ctx),
    ...claimOps(ctx),
    ...deliveryOps(ctx),
    ...fifoOps(ctx),
    ...attemptOps(ctx),
    ...endpointMessageOps(ctx),
    ...idempotencyOps(ctx),
    ...keyOps(ctx),
    ...settingOps(ctx),
    ...operationsStore(ctx),
    ...inboundOps(ctx),
    ...securityOps(ctx),
    // One node: the engine wakes itself in-process when it enqueues.
    onWake() {
      return () => {};
    },
  };
}
