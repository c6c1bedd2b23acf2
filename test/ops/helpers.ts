import { Receiver, type Script } from '../helpers/receiver.js';
import { api, startTestServer, type TestServer } from '../helpers/server.js';

/** A test server, plus cleanup bookkeeping. */
export function opsHarness() {
  const cleanup: Array<() => Promise<void>> = [];
  return {
    async server(env: Record<string, string> = {}): Promise<TestServer> {
      const s = await startTestServer({}, env);
      cleanup.push(() => s.close());
      return s;
    },
    async receiver(script?: Script): Promise<Receiver> {
      const r = await Receiver.start(script);
      cleanup.push(() => r.close());
      return r;
    },
    async close(): Promise<void> {
      for (const f of cleanup.splice(0).reverse()) await f();
    },
  };
}

export async function createApp(server: TestServer, name = 'ops'): Promise<{ id: string }> {
  const res = await api(server, 'POST', '/api/v1/app', { name });
  if (res.status !== 201) throw new Error(`app: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function createEndpoint(server: TestServer, appId: string, body: Record<string, unknown>) {
  const res = await api(server, 'POST', `/api/v1/app/${appId}/endpoint`, body);
  if (res.status !== 201) throw new Error(`endpoint: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; uid: string | null; url: string };
}

export async function publish(server: TestServer, appId: string, payload: unknown = { n: 1 }, eventType = 'a.b') {
  const res = await api(server, 'POST', `/api/v1/app/${appId}/msg`, { eventType, payload });
  if (res.status !== 202) throw new Error(`msg: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string };
}

/** Publishes `n` messages, `concurrency` at a time. */
export async function publishMany(server: TestServer, appId: string, n: number, concurrency = 50) {
  let next = 0;
  const ids: string[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        ids.push((await publish(server, appId, { i })).id);
      }
    }),
  );
  return ids;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
