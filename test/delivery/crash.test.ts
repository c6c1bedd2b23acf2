import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
      const env = {
        ...(await database()),
        HOOKWAY_DATA_DIR: dir,
        HOOKWAY_PORT: '0',
        HOOKWAY_ADMIN_TOKEN: token,
        HOOKWAY_ALLOWED_TARGETS: '127.0.0.0/8',
        HOOKWAY_LEASE_MS: '2000',
        HOOKWAY_POLL_INTERVAL_MS: '200',
      };
      let server = await spawnServer(env);
      try {
        const target = { url: server.url, token };
        const app = (await api(target, 'POST', '/api/v1/app', { name: 'crash' })).body;
        await api(target, 'POST', `/api/v1/app/${app.id}/endpoint`, { url: receiver.url });

        const acked = new Set<string>();
        let next = 0;
        let killed = false;
        const worker = async () => {
          while (next < 2000) {
            const i = next++;
            if (i === 1000 && !killed) {
              killed = true;
              await server.kill('SIGKILL');
            }
            try {
              const res = await fetch(`${server.url}/api/v1/app/${app.id}/msg`, {
                method: 'POST',
                headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
                body: JSON.stringify({ eventType: 'load.test', payload: { i } }),
              });
              if (res.status === 202) acked.add(((await res.json()) as { id: string }).id);
            } catch {
              // The server is gone: this message was never acknowledged.
            }
          }
        };
        await Promise.all(Array.from({ length: 32 }, worker));
        expect(killed).toBe(true);
        expect(acked.size).toBeGreaterThan(900);

        server = await spawnServer(env);
        const delivered = () => new Set(receiver.received.map((r) => r.headers['webhook-id']));
        await waitFor(() => [...acked].every((id) => delivered().has(id)), 60_000, 100);
        const missing = [...acked].filter((id) => !delivered().has(id));
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
