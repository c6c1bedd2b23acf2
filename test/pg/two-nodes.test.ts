import { afterAll, describe, expect, it } from 'vitest';
import { attemptsSentBy, nodeEnv } from '../helpers/nodes.js';
import { dropSchema } from '../helpers/pg.js';
import { type ServerProcess, spawnServer } from '../helpers/process.js';
import { Receiver } from '../helpers/receiver.js';
import { api, freshPgSchema, waitFor } from '../helpers/server.js';

/**
 * Scale-out: two server processes on one PostgreSQL database share the load.
 * Every message is delivered, each exactly once in the normal case (no crash),
 * whichever node accepted it, and both nodes deliver a real part of it: each
 * node's own attempt counter (/metrics is per process) shows what it sent.
 */
describe('two nodes on one PostgreSQL database', () => {
  const servers: ServerProcess[] = [];
  let schema = '';
  afterAll(async () => {
    for (const s of servers) await s.kill('SIGTERM');
    if (schema) await dropSchema(schema);
  });

  it('delivers every message of a shared load exactly once, both nodes sending', async () => {
    const db = await freshPgSchema('twonodes');
    schema = db.schema;
    const token = 'hw_two_nodes_token_0123456789abcdef';
    const receiver = await Receiver.start(() => ({ status: 200 }));
    const env = nodeEnv(db, token);
    // Both start at once: migrations run under a lock, so this must not fail.
    servers.push(...(await Promise.all([spawnServer(env), spawnServer(env)])));
    const [a, b] = servers.map((s) => ({ url: s.url, token }));
    if (!a || !b) throw new Error('servers did not start');
    const app = (await api(a, 'POST', '/api/v1/app', { name: 'shared' })).body;
    await api(a, 'POST', `/api/v1/app/${app.id}/endpoint`, { url: receiver.url });

    const ids: string[] = [];
    const total = 1000;
    let next = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < total) {
          const i = next++;
          const node = i % 2 === 0 ? a : b;
          const res = await api(node, 'POST', `/api/v1/app/${app.id}/msg`, {
            eventType: 'shared.load',
            payload: { i },
          });
          expect(res.status).toBe(202);
          ids.push(res.body.id);
        }
      }),
    );
    await waitFor(() => receiver.received.length >= total, 60_000, 50);
    await new Promise((r) => setTimeout(r, 1000));
    const counts = new Map<string, number>();
    for (const r of receiver.received)
      counts.set(r.headers['webhook-id'] ?? '', (counts.get(r.headers['webhook-id'] ?? '') ?? 0) + 1);
    expect(counts.size).toBe(total);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(ids)).toEqual(new Set(counts.keys()));
    const [byA, byB] = [await attemptsSentBy(a), await attemptsSentBy(b)];
    console.log(`two nodes: node A sent ${byA}, node B sent ${byB} of ${total}`);
    expect(byA + byB).toBe(total);
    // Sharing, not failover: each node sent at least a tenth.
    expect(Math.min(byA, byB)).toBeGreaterThanOrEqual(total / 10);
    await receiver.close();
  }, 120_000);
});
