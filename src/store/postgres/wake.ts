import pg from 'pg';
import { CONNECT_TIMEOUT_MS, type Queryable } from './db.js';

/**
 * Cross-node wake-up. A writer that queues work runs `notifyWake` inside its
 * own transaction, so the notification is sent only if the work commits. The
 * payload is random because PostgreSQL folds identical notifications of one
 * transaction and, across transactions, nothing must look "already sent"
 * (graphile-worker commit 07f62be).
 *
 * The listener holds one dedicated connection (never a pool client: LISTEN
 * is per session). When it drops, it reconnects with capped exponential
 * backoff and wakes every listener once, because notifications sent while it
 * was away are lost. NOTIFY is a hint: a missed one costs latency (the
 * dispatcher's poll is the floor), never correctness.
 */

/** One channel per schema, so two installations sharing a database do not wake each other. */
export function wakeChannel(schema: string): string {
  return schema === 'public' ? 'hookway_wake' : `hookway_wake_${schema}`;
}

/**
 * The payload is `<nodeTag>:<random>`: the node that queued the work has
 * already woken its own dispatcher in-process, so its listener skips its own
 * tag (measured: hearing itself doubled the claims per message on one node).
 */
export async function notifyWake(c: Queryable, channel: string, nodeTag = ''): Promise<void> {
  await c.query("SELECT pg_notify($1, $2 || ':' || md5(random()::text))", [channel, nodeTag]);
}

const MIN_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 30_000;

export interface WakeListener {
  subscribe(listener: () => void): () => void;
  close(): Promise<void>;
}

export function createWakeListener(config: pg.ClientConfig, channel: string, nodeTag = ''): WakeListener {
  const listeners = new Set<() => void>();
  let client: pg.Client | null = null;
  let timer: NodeJS.Timeout | null = null;
  let failures = 0;
  let everConnected = false;
  let closed = false;

  const emit = (): void => {
    for (const l of [...listeners]) {
      try {
        l();
      } catch {
        // A throwing listener must not stop the others, nor the connection (graphile-worker's safeEmit).
      }
    }
  };

  const running = (): boolean => !closed && listeners.size > 0;

  const scheduleReconnect = (): void => {
    if (!running() || timer) return;
    const ceiling = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** failures);
    failures++;
    // Full jitter: nodes that lost the database together do not come back together.
    timer = setTimeout(
      () => {
        timer = null;
        void connect();
      },
      Math.round(ceiling / 2 + (Math.random() * ceiling) / 2),
    );
    timer.unref();
  };

  const drop = (c: pg.Client): void => {
    if (client !== c) return;
    client = null;
    c.removeAllListeners('notification');
    c.end().catch(() => {});
    scheduleReconnect();
  };

  async function connect(): Promise<void> {
    if (!running() || client) return;
    const c = new pg.Client({
      ...config,
      application_name: 'hookway-wake',
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      keepAlive: true,
    });
    client = c;
    c.on('error', () => drop(c));
    c.on('end', () => drop(c));
    c.on('notification', (n) => {
      if (n.channel === channel && !(nodeTag && n.payload?.startsWith(`${nodeTag}:`))) emit();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch {
      drop(c);
      return;
    }
    if (client !== c) return;
    if (!running()) {
      await stop();
      return;
    }
    failures = 0;
    if (everConnected) emit();
    everConnected = true;
  }

  async function stop(): Promise<void> {
    everConnected = false;
    failures = 0;
    if (timer) clearTimeout(timer);
    timer = null;
    const c = client;
    client = null;
    if (c) {
      c.removeAllListeners('notification');
      await c.end().catch(() => {});
    }
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      if (!closed && !client && !timer) void connect();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) void stop();
      };
    },
    async close() {
      closed = true;
      listeners.clear();
      await stop();
    },
  };
}
