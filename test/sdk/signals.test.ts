import { getEventListeners } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hookway, HookwayApiError } from '../../src/sdk/index.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * What a signal holds on to: its listeners, and the composite signals Node's
 * AbortSignal.any hangs on it (an internal set that, on Node 20, never shrinks
 * for a long-lived signal: nodejs/node#55351).
 */
function hold(signal: AbortSignal): { listeners: number; dependants: number } {
  const key = Object.getOwnPropertySymbols(signal).find((s) => s.description === 'kDependantSignals');
  const dependants = key ? ((signal as unknown as Record<symbol, Set<unknown> | undefined>)[key]?.size ?? 0) : 0;
  return { listeners: getEventListeners(signal, 'abort').length, dependants };
}

describe('SDK calls with a caller signal and a timeout', () => {
  let server: TestServer;
  let silent: Server;
  let silentUrl: string;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    server = await startTestServer();
    // Accepts connections and never answers.
    silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const address = silent.address();
    silentUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await server.close();
    for (const socket of sockets) socket.destroy();
    await new Promise((r) => silent.close(r));
  });

  it('leaves nothing on a signal reused for many calls', async () => {
    const hw = new Hookway(server.token, { serverUrl: server.url });
    const shared = new AbortController();
    for (let i = 0; i < 300; i++) {
      await hw.http.request('GET', '/api/v1/app', { signal: shared.signal });
    }
    await expect(hw.http.request('GET', '/api/v1/app/app_missing', { signal: shared.signal })).rejects.toThrow(
      HookwayApiError,
    );
    expect(hold(shared.signal)).toEqual({ listeners: 0, dependants: 0 });
  });

  it('aborts a call when the caller aborts, with the caller reason', async () => {
    const hw = new Hookway(server.token, { serverUrl: silentUrl, timeoutMs: 60_000 });
    const caller = new AbortController();
    const call = hw.http.request('GET', '/api/v1/app', { signal: caller.signal });
    setTimeout(() => caller.abort(new Error('user went away')), 50);
    await expect(call).rejects.toMatchObject({ code: 'network_error' });
    expect(hold(caller.signal).listeners).toBe(0);
  });

  it('gives up at the timeout, and lets go of the caller signal', async () => {
    const hw = new Hookway(server.token, { serverUrl: silentUrl, timeoutMs: 100 });
    const caller = new AbortController();
    const started = Date.now();
    const err = await hw.http.request('GET', '/api/v1/app', { signal: caller.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HookwayApiError);
    expect((err as HookwayApiError).code).toBe('network_error');
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(hold(caller.signal)).toEqual({ listeners: 0, dependants: 0 });
  });

  it('a streamed response lets go of the caller signal at the timeout', async () => {
    const hw = new Hookway(server.token, { serverUrl: server.url, timeoutMs: 200 });
    const caller = new AbortController();
    const res = await hw.http.raw('GET', '/api/v1/app', { signal: caller.signal });
    await res.text();
    await new Promise((r) => setTimeout(r, 300));
    expect(hold(caller.signal)).toEqual({ listeners: 0, dependants: 0 });
  });
});
