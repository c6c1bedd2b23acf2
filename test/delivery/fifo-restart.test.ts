import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crashEnv } from '../helpers/crash.js';
import { type ServerProcess, spawnServer } from '../helpers/process.js';
import { Receiver } from '../helpers/receiver.js';
import { api, freshPgSchema, waitFor } from '../helpers/server.js';

/**
 * A FIFO queue survives its server: killed (kill -9) and then stopped
 * (SIGTERM) halfway through, the server starts again on the same database and
 * goes on in order, one request at a time. A message cut off by the kill is
 * sent again (at least once), before anything behind it.
 */
describe.each(['sqlite', 'postgres'])('FIFO across restarts on %s', (db) => {
  const dir = mkdtempSync(join(tmpdir(), 'hookway-fifo-restart-'));
  let drop: (() => Promise<void>) | undefined;
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await drop?.();
  });

  it('keeps the order through a kill -9 and a stop', async () => {
    const database: Record<string, string> = {};
    if (db === 'postgres') {
      const pg = await freshPgSchema('fifo_restart');
      drop = pg.drop;
      Object.assign(database, { HOOKWAY_DATABASE_URL: pg.url, HOOKWAY_DATABASE_SCHEMA: pg.schema });
    } else {
      database.HOOKWAY_DATABASE_URL = `sqlite:${join(dir, 'hookway.db')}`;
    }
    const token = 'hw_fifo_restart_token_0123456789abcdef';
    const env = crashEnv(database, dir, token);
    const receiver = await Receiver.start(() => ({ status: 200, delayMs: 40 }));
    let server: ServerProcess = await spawnServer(env);
    try {
      const target = () => ({ url: server.url, token });
      const app = (await api(target(), 'POST', '/api/v1/app', { name: 'fifo-restart' })).body;
      await api(target(), 'POST', `/api/v1/app/${app.id}/endpoint`, { url: receiver.url, fifo: true });
      const total = 30;
      for (let i = 0; i < total; i++) {
        const res = await api(target(), 'POST', `/api/v1/app/${app.id}/msg`, {
          eventType: 'fifo.restart',
          payload: { i },
        });
        expect(res.status).toBe(202);
      }
      const distinct = () => new Set(receiver.received.map((r) => r.body)).size;
      await waitFor(() => distinct() >= 8, 30_000);
      await server.kill('SIGKILL');
      server = await spawnServer(env);
      await waitFor(() => distinct() >= 18, 30_000);
      await server.kill('SIGTERM');
      server = await spawnServer(env);
      await waitFor(() => distinct() >= total, 30_000);

      const seen = receiver.received.map((r) => (JSON.parse(r.body) as { i: number }).i);
      // A repeat may only be the message just before it (sent again after the kill).
      const collapsed = seen.filter((i, k) => k === 0 || seen[k - 1] !== i);
      expect(collapsed).toEqual([...Array(total).keys()]);
      expect(seen.length - collapsed.length).toBeLessThanOrEqual(1);
      expect(receiver.maxInFlight).toBe(1);
    } finally {
      await server.kill('SIGKILL');
      await receiver.close();
    }
  }, 120_000);
});
