import { afterAll, describe, expect, it } from 'vitest';
import { attemptsSentBy, nodeEnv } from '../helpers/nodes.js';
import { dropSchema } from '../helpers/pg.js';
import { type ServerProcess, spawnServer } from '../helpers/process.js';
import { Receiver } from '../helpers/receiver.js';
import { api, freshPgSchema, waitFor } from '../helpers/server.js';

/**
 * FIFO across nodes: two server processes on one PostgreSQL schema, both
 * taking messages for one FIFO endpoint and both claiming. The receiver sees
 * them in the order they were created, never two requests at once.
 */
describe('a FIFO endpoint served by two nodes on one PostgreSQL database', () => {
  const servers: ServerProcess[] = [];
  let schema = '';
  afterAll(async () => {
    for (const s of servers) await s.kill('SIGTERM');
    if (schema) await dropSchema(schema);
  });

  it('delivers in creation order, one at a time, whichever node created or claims', async () => {
    const db = await freshPgSchema('fifo_nodes');
    schema = db.schema;
    const token = 'hw_fifo_nodes_token_0123456789abcdef';
    const receiver = await Receiver.start(() => ({ status: 200, delayMs: 5 }));
    const env = { ...nodeEnv(db, token), HOOKWAY_POLL_INTERVAL_MS: '200' };
    servers.push(...(await Promise.all([spawnServer(env), spawnServer(env)])));
    const [a, b] = servers.map((s) => ({ url: s.url, token }));
    if (!a || !b) throw new Error('servers did not start');
    const app = (await api(a, 'POST', '/api/v1/app', { name: 'fifo-nodes' })).body;
    const ep = (await api(a, 'POST', `/api/v1/app/${app.id}/endpoint`, { url: receiver.url, fifo: true })).body;
    expect(ep.fifo).toBe(true);
    // Alternating nodes, each message created once the one before is: the creation order is known.
    const ids: string[] = [];
    const total = 60;
    for (let i = 0; i < total; i++) {
      const res = await api(i % 2 === 0 ? a : b, 'POST', `/api/v1/app/${app.id}/msg`, {
        eventType: 'fifo.nodes',
        payload: { i },
      });
      expect(res.status).toBe(202);
      ids.push(res.body.id);
    }
    await waitFor(() => receiver.received.length >= total, 60_000, 50);
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.received.map((r) => r.headers['webhook-id'])).toEqual(ids);
    expect(receiver.maxInFlight).toBe(1);
    // Both nodes sent part of it (each node's /metrics counts its own attempts).
    const sent = await Promise.all([a, b].map(attemptsSentBy));
    expect(sent[0]! + sent[1]!).toBe(total);
    expect(Math.min(...sent)).toBeGreaterThan(0);
    // Both nodes read the same queue state.
    for (const node of [a, b]) {
      const q = (await api(node, 'GET', `/api/v1/app/${app.id}/endpoint/${ep.id}/fifo`)).body;
      expect(q).toEqual({ fifo: true, held: false, head: null, waiting: 0 });
    }
    await receiver.close();
  }, 120_000);
});
