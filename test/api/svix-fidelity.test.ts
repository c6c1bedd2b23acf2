import { verify as edVerify } from 'node:crypto';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ed25519PublicKey, verifyWebhook } from '../../src/sdk/verify.js';
import { Receiver } from '../helpers/receiver.js';
import { api, startTestServer, type TestServer, waitFor } from '../helpers/server.js';

/**
 * Where Hookway must behave as Svix does beyond what one client call shows:
 * no route lets a non-admin token set transformation code; prevIterator walks
 * back on every paginated list; bodyless requests with a JSON content type;
 * ed25519 (`v1a`) signing; `blocked_target`; precise 4xx on bad input.
 */
const CODE = 'function handler(w) { return w; }';

type Call = { status: number; body: any };

describe.each(['sqlite', 'postgres'])('Svix fidelity on %s', (db) => {
  let server: TestServer;
  let receiver: Receiver;
  const as = (token: string) => ({ url: server.url, token });

  beforeAll(async () => {
    server = await startTestServer({}, { HOOKWAY_TEST_DB: db });
    receiver = await Receiver.start();
  });
  afterAll(async () => {
    await receiver.close();
    await server.close();
  });

  async function openApiPaths(): Promise<Record<string, Record<string, unknown>>> {
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    return doc.paths;
  }

  it('no route lets an app-scoped key, a portal token or an ingest key set transformation code', async () => {
    const app = (await api(server, 'POST', '/api/v1/app', { name: 'Guarded' })).body;
    const ep = (await api(server, 'POST', `/api/v1/app/${app.id}/endpoint`, { url: receiver.url })).body;
    const msg = (await api(server, 'POST', `/api/v1/app/${app.id}/msg`, { eventType: 'g.x', payload: {} })).body;
    const src = (
      await api(server, 'POST', '/ingest/api/v1/source', { name: 'G', type: 'svix', config: { secret: 'whsec_eA==' } })
    ).body;
    const inEp = (await api(server, 'POST', `/ingest/api/v1/source/${src.id}/endpoint`, { url: receiver.url })).body;
    const key = async (scopes: string[]) =>
      (await api(server, 'POST', '/api/v1/auth/keys', { name: `k-${scopes.join(',')}`, scopes })).body.token as string;
    const tokens = {
      appKey: await key([`app:${app.id}`]),
      ingestKey: await key([`ingest:${src.id}`]),
      portal: (await api(server, 'POST', `/api/v1/auth/app-portal-access/${app.id}`, {})).body.token as string,
    };
    const ids: Record<string, string> = {
      app_id: app.id,
      msg_id: msg.id,
      source_id: src.id,
      name: 'g.x',
      task_id: 'task_x',
      key_id: 'key_x',
      attempt_id: 'atmpt_x',
      kind: 'messages',
    };
    const body = { url: receiver.url, transformation: CODE, code: CODE, enabled: true, name: 'n', eventType: 'g.x' };
    const paths = await openApiPaths();
    const tried: string[] = [];
    for (const [path, item] of Object.entries(paths)) {
      for (const method of ['post', 'put', 'patch']) {
        if (!item[method] || path === '/api/v1/auth/logout' || path.startsWith('/in/')) continue;
        const endpointId = path.startsWith('/ingest/') ? inEp.id : ep.id;
        const url = path.replace(/\{([a-z_]+)\}/g, (_m, p: string) =>
          p === 'endpoint_id' ? endpointId : (ids[p] ?? p),
        );
        for (const [who, token] of Object.entries(tokens)) {
          const res = await api(as(token), method.toUpperCase(), url, body);
          expect(res.status, `${who} ${method} ${url}`).toBeLessThan(500);
          tried.push(`${method} ${path}`);
        }
      }
    }
    expect(tried).toContain('patch /api/v1/app/{app_id}/endpoint/{endpoint_id}/transformation');
    expect(tried).toContain('post /ingest/api/v1/source/{source_id}/endpoint');
    // Every endpoint that exists now, in the app and in the source's app, has no transformation.
    for (const appId of [app.id, src.appId]) {
      const list = await api(server, 'GET', `/api/v1/app/${appId}/endpoint?limit=250`);
      expect(list.body.data.length).toBeGreaterThan(0);
      for (const e of list.body.data) {
        const t = await api(server, 'GET', `/api/v1/app/${appId}/endpoint/${e.id}/transformation`);
        expect(t.body, `${appId}/${e.id}`).toMatchObject({ code: null, enabled: false });
      }
    }
    // The tokens still work (a revoked token would have made the sweep prove nothing), and the routes refuse them.
    for (const token of [tokens.appKey, tokens.portal]) {
      expect((await api(as(token), 'GET', `/api/v1/app/${app.id}`)).status).toBe(200);
      const get = await api(as(token), 'GET', `/api/v1/app/${app.id}/endpoint/${ep.id}/transformation`);
      expect(get.status).toBe(403);
      expect(get.body.code).toBe('forbidden');
    }
    // Control: an admin sets it through both routes.
    await api(server, 'PATCH', `/api/v1/app/${app.id}/endpoint/${ep.id}`, { transformation: CODE });
    const set = await api(server, 'GET', `/api/v1/app/${app.id}/endpoint/${ep.id}/transformation`);
    expect(set.body).toMatchObject({ code: CODE, enabled: true });
  }, 180_000);

  it('prevIterator walks back on every paginated list', async () => {
    const many = async (n: number, f: (i: number) => Promise<Call>) => {
      const out: Call[] = [];
      for (let i = 0; i < n; i++) out.push(await f(i));
      return out;
    };
    await many(3, (i) => api(server, 'POST', '/api/v1/event-type', { name: `pg.t${i}`, description: 'x' }));
    const app = (await api(server, 'POST', '/api/v1/app', { name: 'Pages' })).body;
    await many(2, (i) => api(server, 'POST', '/api/v1/app', { name: `Pages ${i}` }));
    const eps = await many(3, () => api(server, 'POST', `/api/v1/app/${app.id}/endpoint`, { url: receiver.url }));
    const ep = eps[0]?.body;
    const msgs = await many(3, (i) =>
      api(server, 'POST', `/api/v1/app/${app.id}/msg`, { eventType: 'pg.t0', payload: { i } }),
    );
    const msg = msgs[0]?.body;
    await waitFor(
      async () => (await api(server, 'GET', `/api/v1/app/${app.id}/attempt/msg/${msg.id}`)).body.data.length >= 3,
    );
    await waitFor(
      async () => (await api(server, 'GET', `/api/v1/app/${app.id}/attempt/endpoint/${ep.id}`)).body.data.length >= 3,
    );
    const since = new Date(Date.now() - 60_000).toISOString();
    await many(3, () => api(server, 'POST', `/api/v1/app/${app.id}/endpoint/${ep.id}/recover`, { since }));
    await many(3, (i) => api(server, 'POST', '/api/v1/auth/keys', { name: `pk${i}`, scopes: [`app:${app.id}`] }));
    const src = (
      await api(server, 'POST', '/ingest/api/v1/source', { name: 'P', type: 'api-key', config: { key: 'k1' } })
    ).body;
    await many(2, (i) => api(server, 'POST', '/ingest/api/v1/source', { name: `P${i}`, type: 'generic-webhook' }));
    await many(3, () => api(server, 'POST', `/ingest/api/v1/source/${src.id}/endpoint`, { url: receiver.url }));
    await many(3, (i) =>
      fetch(`${server.url}/in/${src.id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': 'k1' },
        body: JSON.stringify({ i }),
      }).then((r) => ({ status: r.status, body: null })),
    );
    await many(3, (i) =>
      fetch(`${server.url}/in/${src.id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': 'wrong' },
        body: JSON.stringify({ i }),
      }).then((r) => ({ status: r.status, body: null })),
    );
    await many(3, () => api(server, 'POST', '/api/v1/operational-webhook/endpoint', { url: receiver.url }));

    const ids: Record<string, string> = { app_id: app.id, endpoint_id: ep.id, msg_id: msg.id, source_id: src.id };
    const keyOf = (x: any) => String(x.id ?? x.name);
    const lists: string[] = [];
    for (const [path, item] of Object.entries(await openApiPaths())) {
      if (!item.get || path.endsWith('/stream') || path.includes('/export') || path === '/metrics') continue;
      if (/\{(?!app_id|endpoint_id|msg_id|source_id)[a-z_]+\}/.test(path)) continue;
      const url = path.replace(/\{([a-z_]+)\}/g, (_m, p: string) => ids[p] ?? p);
      const first = await api(server, 'GET', `${url}?limit=2`);
      if (
        first.status !== 200 ||
        first.body === null ||
        typeof first.body !== 'object' ||
        !('prevIterator' in first.body)
      )
        continue;
      lists.push(path);
      expect(first.body.data, path).toHaveLength(2);
      expect(first.body.done, path).toBe(false);
      expect(first.body.prevIterator, path).toBe(`-${keyOf(first.body.data[0])}`);
      const second = await api(server, 'GET', `${url}?limit=2&iterator=${encodeURIComponent(first.body.iterator)}`);
      expect(second.body.data.length, path).toBeGreaterThan(0);
      const back = await api(server, 'GET', `${url}?limit=2&iterator=${encodeURIComponent(second.body.prevIterator)}`);
      expect(back.body.data.map(keyOf), path).toEqual(first.body.data.map(keyOf));
      // Ascending too: the prev page of page 2 is page 1 in the same order.
      const a1 = await api(server, 'GET', `${url}?limit=2&order=ascending`);
      const a2 = await api(
        server,
        'GET',
        `${url}?limit=2&order=ascending&iterator=${encodeURIComponent(a1.body.iterator)}`,
      );
      const a0 = await api(
        server,
        'GET',
        `${url}?limit=2&order=ascending&iterator=${encodeURIComponent(a2.body.prevIterator)}`,
      );
      expect(a0.body.data.map(keyOf), `${path} ascending`).toEqual(a1.body.data.map(keyOf));
    }
    expect(lists).toEqual(
      expect.arrayContaining([
        '/api/v1/app',
        '/api/v1/event-type',
        '/api/v1/app/{app_id}/endpoint',
        '/api/v1/app/{app_id}/msg',
        '/api/v1/app/{app_id}/attempt/endpoint/{endpoint_id}',
        '/api/v1/app/{app_id}/attempt/msg/{msg_id}',
        '/api/v1/app/{app_id}/endpoint/{endpoint_id}/msg',
        '/api/v1/app/{app_id}/msg/{msg_id}/endpoint',
        '/api/v1/background-task',
        '/api/v1/auth/keys',
        '/api/v1/audit',
        '/ingest/api/v1/source',
        '/ingest/api/v1/source/{source_id}/endpoint',
        '/ingest/api/v1/source/{source_id}/event',
        '/ingest/api/v1/source/{source_id}/rejected',
        '/api/v1/operational-webhook/endpoint',
      ]),
    );
  }, 180_000);

  it('accepts bodyless POST and DELETE sent with content-type application/json where the route takes no body', async () => {
    const bare = (method: string, path: string) =>
      fetch(server.url + path, {
        method,
        headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      }).then(async (r) => ({ status: r.status, text: await r.text() }));
    const app = (await api(server, 'POST', '/api/v1/app', { name: 'Bare' })).body;
    const ep = (await api(server, 'POST', `/api/v1/app/${app.id}/endpoint`, { url: receiver.url })).body;
    const msg = (await api(server, 'POST', `/api/v1/app/${app.id}/msg`, { eventType: 'b.x', payload: { a: 1 } })).body;
    await waitFor(
      async () => (await api(server, 'GET', `/api/v1/app/${app.id}/attempt/msg/${msg.id}`)).body.data.length,
    );
    const resend = await bare('POST', `/api/v1/app/${app.id}/msg/${msg.id}/endpoint/${ep.id}/resend`);
    expect(resend).toEqual({ status: 202, text: '{}' });
    expect((await bare('POST', `/api/v1/app/${app.id}/endpoint/${ep.id}/secret/rotate`)).status).toBe(204);
    expect((await bare('DELETE', `/api/v1/app/${app.id}/msg/${msg.id}/content`)).status).toBe(204);
    await api(server, 'POST', '/api/v1/event-type', { name: 'b.gone', description: 'x' });
    expect((await bare('DELETE', '/api/v1/event-type/b.gone')).status).toBe(204);
    expect((await bare('DELETE', `/api/v1/app/${app.id}/endpoint/${ep.id}`)).status).toBe(204);
    expect((await bare('DELETE', `/api/v1/app/${app.id}`)).status).toBe(204);
    // A route that needs a body still says so precisely.
    const needs = await bare('POST', '/api/v1/app');
    expect(needs.status).toBe(422);
    expect(JSON.parse(needs.text)).toMatchObject({ code: 'validation', detail: expect.stringMatching(/body/) });
    // Whitespace is a body, and not JSON.
    const ws = await fetch(`${server.url}/api/v1/app`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: ' ',
    });
    expect(ws.status).toBe(400);
    expect(((await ws.json()) as { code: string }).code).toBe('invalid_json');
  });

  it('signs with v1a (ed25519) for an endpoint given a whsk_ key; the secret route shows only whpk_; rotation keeps the old key signing', async () => {
    const app = (await api(server, 'POST', '/api/v1/app', { name: 'Ed25519' })).body;
    const created = await api(server, 'POST', `/api/v1/app/${app.id}/endpoint`, {
      url: receiver.url,
      signing: 'ed25519',
    });
    expect(created.status).toBe(201);
    expect(created.body.signing).toBe('ed25519');
    const ep = created.body;
    const firstKey = (await api(server, 'GET', `/api/v1/app/${app.id}/endpoint/${ep.id}/secret`)).body.key as string;
    expect(firstKey).toMatch(/^whpk_[A-Za-z0-9+/]{43}=$/);
    expect(JSON.stringify(created.body)).not.toContain('whsk_');

    const send = async (i: number) => {
      const m = (await api(server, 'POST', `/api/v1/app/${app.id}/msg`, { eventType: 'ed.x', payload: { i } })).body;
      return waitFor(() => receiver.received.find((r) => r.headers['webhook-id'] === m.id));
    };
    const got = await send(1);
    const entries = got.headers['webhook-signature']?.split(' ') ?? [];
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatch(/^v1a,/);
    const content = Buffer.from(`${got.headers['webhook-id']}.${got.headers['webhook-timestamp']}.${got.body}`);
    const sig = Buffer.from((entries[0] ?? '').slice(4), 'base64');
    expect(edVerify(null, content, ed25519PublicKey(firstKey), sig)).toBe(true);
    expect(edVerify(null, Buffer.concat([content, Buffer.from(' ')]), ed25519PublicKey(firstKey), sig)).toBe(false);
    expect(verifyWebhook(firstKey, got.headers, got.body)).toEqual({ i: 1 });
    // The symmetric libraries skip v1a: a receiver must verify with the public key.
    expect(() =>
      new StandardWebhook(`whsec_${Buffer.alloc(32).toString('base64')}`).verify(got.body, got.headers),
    ).toThrow();

    // A plain rotate keeps the scheme; during the grace period both keys sign.
    expect((await api(server, 'POST', `/api/v1/app/${app.id}/endpoint/${ep.id}/secret/rotate`, {})).status).toBe(204);
    const secondKey = (await api(server, 'GET', `/api/v1/app/${app.id}/endpoint/${ep.id}/secret`)).body.key as string;
    expect(secondKey).toMatch(/^whpk_/);
    expect(secondKey).not.toBe(firstKey);
    const after = await send(2);
    expect(after.headers['webhook-signature']?.split(' ').map((e) => e.slice(0, 4))).toEqual(['v1a,', 'v1a,']);
    expect(verifyWebhook(firstKey, after.headers, after.body)).toEqual({ i: 2 });
    expect(verifyWebhook(secondKey, after.headers, after.body)).toEqual({ i: 2 });

    // With no grace, only the new key signs; the old public key no longer verifies.
    await api(server, 'POST', `/api/v1/app/${app.id}/endpoint/${ep.id}/secret/rotate`, { gracePeriodSeconds: 0 });
    const thirdKey = (await api(server, 'GET', `/api/v1/app/${app.id}/endpoint/${ep.id}/secret`)).body.key as string;
    const last = await send(3);
    expect(verifyWebhook(thirdKey, last.headers, last.body)).toEqual({ i: 3 });
    expect(() => verifyWebhook(secondKey, last.headers, last.body)).toThrow(/No matching signature/);

    // An imported whsk_ key signs; a malformed one is a precise 422.
    const seed = Buffer.alloc(32, 5).toString('base64');
    const imported = await api(server, 'POST', `/api/v1/app/${app.id}/endpoint`, {
      url: receiver.url,
      secret: `whsk_${seed}`,
    });
    expect(imported.body.signing).toBe('ed25519');
    const bad = await api(server, 'POST', `/api/v1/app/${app.id}/endpoint`, { url: receiver.url, secret: 'whsk_abc' });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ code: 'validation', detail: expect.stringMatching(/whsk_/) });
    const mismatch = await api(server, 'POST', `/api/v1/app/${app.id}/endpoint`, {
      url: receiver.url,
      secret: `whsk_${seed}`,
      signing: 'hmac',
    });
    expect(mismatch.status).toBe(422);
  });

  it('answers blocked_target, naming the setting, for a URL the address guard refuses', async () => {
    const app = (await api(server, 'POST', '/api/v1/app', { name: 'Blocked' })).body;
    for (const url of ['http://10.0.0.1/hook', 'http://169.254.169.254/latest', 'http://[fd00::1]/']) {
      const res = await api(server, 'POST', `/api/v1/app/${app.id}/endpoint`, { url });
      expect(res.status, url).toBe(422);
      expect(res.body.code, url).toBe('blocked_target');
      expect(res.body.detail, url).toContain('HOOKWAY_ALLOWED_TARGETS');
    }
    const ep = (await api(server, 'POST', `/api/v1/app/${app.id}/endpoint`, { url: receiver.url })).body;
    const patched = await api(server, 'PATCH', `/api/v1/app/${app.id}/endpoint/${ep.id}`, { url: 'http://10.1.2.3/' });
    expect(patched.body.code).toBe('blocked_target');
    const op = await api(server, 'POST', '/api/v1/operational-webhook/endpoint', { url: 'http://192.168.1.1/' });
    expect(op.body.code).toBe('blocked_target');
    // A malformed URL stays a validation error: nothing to allow.
    expect((await api(server, 'POST', `/api/v1/app/${app.id}/endpoint`, { url: 'ftp://x/' })).body.code).toBe(
      'validation',
    );
  });

  it('answers bad input on these routes with a precise 4xx {code, detail}', async () => {
    const app = (await api(server, 'POST', '/api/v1/app', { name: 'Bad input' })).body;
    const ep = (await api(server, 'POST', `/api/v1/app/${app.id}/endpoint`, { url: receiver.url })).body;
    const base = `/api/v1/app/${app.id}/endpoint/${ep.id}`;
    const cases: [string, string, unknown, number, string, RegExp][] = [
      ['GET', `${base}/msg?status=9`, undefined, 422, 'validation', /status/],
      ['GET', `${base}/msg?before=yesterday`, undefined, 422, 'validation', /before/],
      ['GET', `${base}/msg?limit=0`, undefined, 422, 'validation', /limit/],
      ['GET', `/api/v1/app/${app.id}/endpoint/ep_missing/msg`, undefined, 404, 'not_found', /Endpoint/],
      [
        'GET',
        `/api/v1/app/${app.id}/attempt/endpoint/${ep.id}?status_code_class=250`,
        undefined,
        422,
        'validation',
        /status_code_class/,
      ],
      [
        'GET',
        `/api/v1/app/${app.id}/attempt/endpoint/${ep.id}?with_msg=maybe`,
        undefined,
        422,
        'validation',
        /with_msg/,
      ],
      ['PATCH', `${base}/transformation`, { code: 5 }, 422, 'validation', /code/],
      ['PATCH', `${base}/transformation`, { variables: { a: 1 } }, 422, 'validation', /variables/],
      ['PATCH', `${base}/transformation`, '[1]', 422, 'validation', /body/],
      ['PATCH', `${base}/transformation`, '{"code":', 400, 'invalid_json', /JSON/],
      ['GET', `/api/v1/app/${app.id}/endpoint/ep_missing/transformation`, undefined, 404, 'not_found', /Endpoint/],
      ['POST', `${base}/secret/rotate`, { signing: 'rsa' }, 422, 'validation', /signing/],
      ['POST', `/api/v1/app/${app.id}/endpoint`, { url: receiver.url, signing: 'rsa' }, 422, 'validation', /signing/],
      [
        'POST',
        `/api/v1/app/${app.id}/msg/msg_missing/endpoint/${ep.id}/resend`,
        undefined,
        404,
        'not_found',
        /Message/,
      ],
      ['PATCH', '/api/v1/event-type/none.here', { description: 'x' }, 404, 'not_found', /Event type/],
      ['DELETE', '/api/v1/event-type/none.here', undefined, 404, 'not_found', /Event type/],
      ['POST', '/ingest/api/v1/source', { name: 'x', type: 'nope' }, 422, 'validation', /type/],
      [
        'POST',
        '/ingest/api/v1/source',
        { name: 'x', type: 'svix', hookwayType: 'hmac' },
        422,
        'validation',
        /hookwayType/,
      ],
      ['GET', '/api/v1/app?iterator=-', undefined, 200, '', /.*/],
    ];
    const wrong: string[] = [];
    for (const [method, path, body, status, code, detail] of cases) {
      const res = await api(server, method, path, body);
      const ok = res.status === status && (status < 300 || (res.body?.code === code && detail.test(res.body?.detail)));
      if (!ok) wrong.push(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    expect(wrong).toEqual([]);
  });
});
