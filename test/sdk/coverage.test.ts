import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hookway, HookwayApiError, ROUTES, routeKey } from '../../src/sdk/index.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** The SDK names a method for every operation of /openapi.json, and nothing the server does not serve. */
describe('SDK coverage of the OpenAPI document', () => {
  let server: TestServer;
  let doc: any;

  beforeAll(async () => {
    server = await startTestServer();
    doc = await (await fetch(`${server.url}/openapi.json`)).json();
  });
  afterAll(async () => {
    await server.close();
  });

  const operations = () =>
    Object.entries<any>(doc.paths).flatMap(([path, item]) =>
      ['get', 'post', 'put', 'patch', 'delete'].filter((m) => item[m]).map((m) => routeKey(m, path)),
    );

  it('has a method for every route', () => {
    const hw = new Hookway('t', { serverUrl: server.url }) as unknown as Record<string, unknown>;
    const missing: string[] = [];
    for (const key of operations()) {
      const name = ROUTES[key];
      if (!name) {
        missing.push(`${key} (not in ROUTES)`);
        continue;
      }
      const parts = name.split('.');
      const method = parts.pop() as string;
      let owner: any = hw;
      for (const p of parts) owner = owner?.[p];
      if (typeof owner?.[method] !== 'function') missing.push(`${key} -> ${name} (no such method)`);
    }
    expect(missing).toEqual([]);
  });

  it('names no route the server does not have', () => {
    const served = new Set(operations());
    expect(Object.keys(ROUTES).filter((k) => !served.has(k))).toEqual([]);
  });

  it('drives the API and reports errors as HookwayApiError {status, code, detail}', async () => {
    const hw = new Hookway(server.token, { serverUrl: server.url });
    const app = await hw.application.create({ name: 'SDK', uid: 'sdk' });
    expect((await hw.application.getOrCreate({ name: 'SDK', uid: 'sdk' })).id).toBe(app.id);
    await hw.eventType.create({ name: 'sdk.test', description: 'from the SDK' });
    const ep = await hw.endpoint.create('sdk', { url: 'https://example.com/hook', uid: 'ep', disabled: true });
    const msg = await hw.message.create(
      'sdk',
      { eventType: 'sdk.test', payload: { ok: true } },
      { idempotencyKey: 'k1' },
    );
    const again = await hw.message.create(
      'sdk',
      { eventType: 'sdk.test', payload: { ok: true } },
      { idempotencyKey: 'k1' },
    );
    expect(again.id).toBe(msg.id);
    expect((await hw.message.list('sdk', { limit: 10 })).data.map((m) => m.id)).toContain(msg.id);
    expect((await hw.endpoint.getSecret('sdk', ep.id)).key).toMatch(/^whsec_/);
    const err = await hw.application.get('missing').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HookwayApiError);
    expect(err).toMatchObject({ status: 404, code: 'not_found' });
    const unauth = await new Hookway('wrong', { serverUrl: server.url }).application.list().catch((e: unknown) => e);
    expect(unauth).toMatchObject({ status: 401, code: 'unauthorized' });
    const down = await new Hookway('t', { serverUrl: 'http://127.0.0.1:9' }).health.get().catch((e: unknown) => e);
    expect(down).toMatchObject({ status: 0, code: 'network_error' });
  });
});
