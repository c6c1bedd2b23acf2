import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * WAL checkpoints off the event loop. SQLite's automatic checkpoint runs
 * inside whichever commit crosses the threshold, and better-sqlite3 is
 * synchronous, so every ~1,000 pages one API request or delivery waited for
 * the copy and fsync of the database file (measured: 12-14 ms per checkpoint
 * on this machine's disk). A worker thread with its own connection runs a
 * PASSIVE checkpoint every second instead; PASSIVE never blocks writers, so
 * the main thread keeps committing while it runs. The connections keep a
 * high automatic threshold as a safety net in case the worker falls behind.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
db.pragma('cache_size = -512');
const checkpoint = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} };
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.postMessage('stopped');
});
`;

export const AUTO_CHECKPOINT_PAGES = 20_000;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(path: string, everyMs = 1000): Checkpointer {
  const module = createRequire(import.meta.url).resolve('better-sqlite3');
  // It allocates next to nothing: a 1 MB young generation keeps this isolate small (V8's default
  // grows to 3 x 16 MB semi-spaces).
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { path, module, everyMs },
    resourceLimits: { maxYoungGenerationSizeMb: 1 },
  });
  worker.unref();
  let stopping: Promise<void> | null = null;
  return {
    stop() {
      stopping ??= (async () => {
        await new Promise<void>((resolve) => {
          const done = () => resolve();
          worker.once('message', done);
          worker.once('exit', done);
          worker.once('error', done);
          worker.postMessage('stop');
        });
        await worker.terminate();
      })();
      return stopping;
    },
  };
}
