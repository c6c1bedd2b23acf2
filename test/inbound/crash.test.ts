import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServer } from '../helpers/process.js';
import { Receiver } from '../helpers/receiver.js';
import { api, waitFor } from '../helpers/server.js';

/**
 * "Nothing acknowledged is lost", inbound: kill -9 the server while 2,000
 * signed webhooks are being posted; after a restart on the same database,
 * every request that was answered 200 is stored and reaches the receiver.
 */
describe('kill -9 during inbound load (sqlite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookway-inbound-crash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stores and forwards every acknowledged inbound event after a restart', async () => {
    const receiver = await Receiver.start(() => ({ status: 200 }));
    const token = 'hw_inbound_crash_token_0123456789abcdef';
    const env = {
      HOOKWAY_DATABASE_URL: `sqlite:${join(dir, 'hookway.db')}`,
      HOOKWAY_DATA_DIR: dir,
      HOOKWAY_PORT: '0',
      HOOKWAY_ADMIN_TOKEN: token,
      HOOKWAY_ALLOWED_TARGETS: '127.0.0.0/8',
      HOOKWAY_LEASE_MS: '2000',
      HOOKWAY_POLL_INTERVAL_MS: '200',
    };
    const secret = 'crash-test-github-secret';
    let server = await spawnServer(env);
    try {
      const target = () => ({ url: server.url, token });
      const created = await api(target(), 'POST', '/ingest/api/v1/source', {
        name: 'gh',
        type: 'github',
        config: { secret },
      });
      expect(created.status).toBe(201);
      const sourceId = created.body.id as string;
      const ep = await api(target(), 'POST', `/ingest/api/v1/source/${sourceId}/endpoint`, { url: receiver.url });
      expect(ep.status).toBe(201);

      const acked = new Map<number, string>();
      let next = 0;
      let killed = false;
      const worker = async () => {
        while (next < 2000) {
          const i = next++;
          if (i === 1000 && !killed) {
            killed = true;
            await server.kill('SIGKILL');
          }
          const body = JSON.stringify({ action: 'created', i });
          try {
            const res = await fetch(`${server.url}/in/${sourceId}`, {
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                'x-github-event': 'push',
                'x-github-delivery': `delivery-${i}`,
                'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
              },
              body,
            });
            if (res.status === 200) acked.set(i, ((await res.json()) as { event_id: string }).event_id);
          } catch {
            // The server is gone: this request was never acknowledged.
          }
        }
      };
      await Promise.all(Array.from({ length: 32 }, worker));
      expect(killed).toBe(true);
      expect(acked.size).toBeGreaterThan(900);

      server = await spawnServer(env);
      const delivered = () => new Set(receiver.received.map((r) => (JSON.parse(r.body) as { i: number }).i));
      await waitFor(() => [...acked.keys()].every((i) => delivered().has(i)), 60_000, 100);
      expect([...acked.keys()].filter((i) => !delivered().has(i))).toEqual([]);

      // And stored: every acknowledged event id is in the source's event list.
      const stored = new Set<string>();
      let iterator: string | null = null;
      for (;;) {
        const q: string = iterator ? `&iterator=${iterator}` : '';
        const page = await api(target(), 'GET', `/ingest/api/v1/source/${sourceId}/event?limit=500${q}`);
        for (const e of page.body.data as { id: string }[]) stored.add(e.id);
        if (page.body.done) break;
        iterator = page.body.iterator;
      }
      expect([...acked.values()].filter((id) => !stored.has(id))).toEqual([]);
    } finally {
      await server.kill('SIGKILL');
      await receiver.close();
    }
  }, 120_000);
});
