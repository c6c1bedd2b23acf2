import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crashEnv, loadThroughKill } from '../helpers/crash.js';
import { spawnServer } from '../helpers/process.js';
import { Receiver } from '../helpers/receiver.js';
import { api, freshPgSchema, waitFor } from '../helpers/server.js';

/**
 * "Nothing acknowledged is lost": kill -9 the server while 2,000 messages are
 * being created and delivered; after a restart on the same database, every
 * message that was answered 202 reaches the receiver.
 */
export function crashSuite(name: string, database: () => Promise<Record<string, string>>) {
  describe(`kill -9 during load (${name})`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookway-crash-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('delivers every acknowledged message after a restart', async () => {
      const receiver = await Receiver.start(() => ({ status: 200 }));
      const token = 'hw_crash_test_token_0123456789abcdef';
      const env = crashEnv(await database(), dir, token);
      let server = await spawnServer(env);
      try {
        const target = { url: server.url, token };
        const app = (await api(target, 'POST', '/api/v1/app', { name: 'crash' })).body;
        await api(target, 'POST', `/api/v1/app/${app.id}/endpoint`, { url: receiver.url });

        const { killed, acked } = await loadThroughKill(
          () => server.kill('SIGKILL'),
          async (i) => {
            const res = await fetch(`${server.url}/api/v1/app/${app.id}/msg`, {
              method: 'POST',
              headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
              body: JSON.stringify({ eventType: 'load.test', payload: { i } }),
            });
            return res.status === 202 ? ((await res.json()) as { id: string }).id : undefined;
          },
        );
        expect(killed).toBe(true);
        expect(acked.size).toBeGreaterThan(900);

        server = await spawnServer(env);
        const delivered = () => new Set(receiver.received.map((r) => r.headers['webhook-id']));
        await waitFor(() => [...acked.values()].every((id) => delivered().has(id)), 60_000, 100);
        const missing = [...acked.values()].filter((id) => !delivered().has(id));
        expect(missing).toEqual([]);
      } finally {
        await server.kill('SIGKILL');
        await receiver.close();
      }
    }, 120_000);
  });
}

crashSuite('sqlite', async () => ({
  HOOKWAY_DATABASE_URL: `sqlite:${join(mkdtempSync(join(tmpdir(), 'hookway-crashdb-')), 'hookway.db')}`,
}));
crashSuite('postgres', async () => {
  const { url, schema } = await freshPgSchema('crash');
  return { HOOKWAY_DATABASE_URL: url, HOOKWAY_DATABASE_SCHEMA: schema };
});
