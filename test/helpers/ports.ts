import { createServer } from 'node:net';

/** A loopback port free right now (bound, then closed), for a server that must come back on the same port. */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** A loopback port nothing listens on, so connecting to it is refused: a `network` failure. */
export const closedPort = freePort;
