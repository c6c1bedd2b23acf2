import { createServer } from 'node:net';

/** A loopback port nothing listens on (bound, then closed), so connecting to it is refused: a `network` failure. */
export async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
