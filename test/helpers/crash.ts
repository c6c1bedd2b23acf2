/**
 * The kill -9 tests ("nothing acknowledged is lost"), outbound and inbound: the
 * server's environment, and a load that kills the server halfway through.
 */

/** A short lease and a fast poll, so that the restarted server soon takes over what the killed one held. */
export function crashEnv(database: Record<string, string>, dir: string, token: string): Record<string, string> {
  return {
    ...database,
    HOOKWAY_DATA_DIR: dir,
    HOOKWAY_PORT: '0',
    HOOKWAY_ADMIN_TOKEN: token,
    HOOKWAY_ALLOWED_TARGETS: '127.0.0.0/8',
    HOOKWAY_LEASE_MS: '2000',
    HOOKWAY_POLL_INTERVAL_MS: '200',
  };
}

/**
 * Sends requests 0 to `total - 1` from 32 concurrent workers and calls `kill`
 * before request `total / 2`. `send` returns what the server acknowledged for
 * request i, or undefined; a request that throws (the server is gone) was
 * never acknowledged. Returns the acknowledgements by request number.
 */
export async function loadThroughKill<T>(
  kill: () => Promise<void>,
  send: (i: number) => Promise<T | undefined>,
  total = 2000,
): Promise<{ killed: boolean; acked: Map<number, T> }> {
  const acked = new Map<number, T>();
  let next = 0;
  let killed = false;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      if (i === total / 2 && !killed) {
        killed = true;
        await kill();
      }
      try {
        const ack = await send(i);
        if (ack !== undefined) acked.set(i, ack);
      } catch {
        // The server is gone: this request was never acknowledged.
      }
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  return { killed, acked };
}
