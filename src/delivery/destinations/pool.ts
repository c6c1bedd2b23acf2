/**
 * Broker connections, one per destination (scheme, credentials, host, port
 * and vhost or database), shared by every endpoint and delivery that names
 * it. A connection that closes (broker restart, network drop) leaves the
 * pool at once, so the next publish connects again, through the address
 * guard again. Concurrent publishes to a destination with no connection yet
 * share one connect.
 */
export interface Pool<C> {
  get(key: string, open: () => Promise<C>): Promise<C>;
  /** Forgets `conn` (if it is still the pooled one for `key`). */
  drop(key: string, conn: C): void;
  /** Closes every pooled connection. */
  close(): Promise<void>;
}

export function createPool<C>(closeConn: (conn: C) => Promise<void>): Pool<C> {
  const entries = new Map<string, Promise<C>>();
  const live = new Map<string, C>();
  return {
    get(key, open) {
      let entry = entries.get(key);
      if (!entry) {
        entry = open().then(
          (conn) => {
            live.set(key, conn);
            return conn;
          },
          (err: unknown) => {
            entries.delete(key);
            throw err;
          },
        );
        entries.set(key, entry);
      }
      return entry;
    },
    drop(key, conn) {
      if (live.get(key) !== conn) return;
      live.delete(key);
      entries.delete(key);
    },
    async close() {
      const conns = [...live.values()];
      entries.clear();
      live.clear();
      await Promise.allSettled(conns.map(closeConn));
    },
  };
}

/** The connection part of a broker URL, the pool's key (the secret included: it lives in memory only). */
export function connectionKey(url: URL): string {
  return `${url.protocol}//${url.username}:${url.password}@${url.host}${url.pathname}`;
}
