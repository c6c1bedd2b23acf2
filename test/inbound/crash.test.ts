import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crashEnv, loadThroughKill } from '../helpers/crash.js';
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
    const env = crashEnv({ HOOKWAY_DATABASE_URL: `sqlite:${join(dir, 'hookway.db')}` }, dir, token);
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

      const { killed, acked } = await loadThroughKill(
        () => server.kill('SIGKILL'),
        async (i) => {
          const body = JSON.stringify({ action: 'created', i });
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
          return res.status === 200 ? ((await res.json()) as { event_id: string }).event_id : undefined;
        },
      );
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
