import { closeSync, fsync, openSync } from 'node:fs';

/**
 * Group commit without blocking the event loop. The hot writes a client is
 * answered 2xx for (new messages) commit on the synchronous=NORMAL connection,
 * which writes the transaction's frames to the WAL file without an fsync;
 * `sync()` then fsyncs the WAL file on libuv's thread pool, and the 2xx waits
 * for it. The main thread builds and commits the next group while the disk
 * flushes the last one.
 *
 * Why this is as durable as synchronous=FULL: a committed transaction's frames
 * are in the WAL when the commit returns; fsync of the WAL file (any fd of it:
 * fsync flushes the file, not the descriptor) makes them durable. SQLite never
 * overwrites WAL frames a checkpoint has not copied and synced into the
 * database file first (a checkpoint syncs the WAL before copying and the
 * database after), so frames recycled before our fsync ran are durable in the
 * database file. The WAL file is only deleted when the last connection
 * closes, and this store keeps its connections open while it runs.
 *
 * Measured (CPU profile of a 20,000-message burst, sender thread on): the
 * FULL commit's fsync, ~0.25 ms each on this disk, was 17.5% of the main
 * thread's time, spent blocked.
 *
 * Calls that arrive while an fsync runs share the next one, which starts when
 * it ends: it covers every commit made before it started.
 */
export interface WalSync {
  sync(): Promise<void>;
  close(): void;
}

export function createWalSync(dbPath: string): WalSync {
  let fd: number | null = null;
  let running: Promise<void> | null = null;
  let next: Promise<void> | null = null;

  function flush(): Promise<void> {
    return new Promise((resolve, reject) => {
      // Opened on first use: the WAL file exists once the first transaction has committed.
      fd ??= openSync(`${dbPath}-wal`, 'r');
      fsync(fd, (err) => (err ? reject(err) : resolve()));
    });
  }

  function start(): Promise<void> {
    const p = flush().finally(() => {
      if (running === p) running = null;
    });
    running = p;
    return p;
  }

  return {
    sync() {
      if (!running) return start();
      // An fsync is running; it may have started before our commit: join the one after it.
      next ??= running
        .catch(() => {})
        .then(() => {
          next = null;
          return start();
        });
      return next;
    },
    close() {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}
