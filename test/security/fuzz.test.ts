import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Receiver } from '../helpers/receiver.js';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { makeTenant, type Tenant } from './helpers.js';

/**
 * Hostile input across every registered route (read from the route
 * catalogue, public receiving routes included): bad JSON, wrong types, huge
 * strings, deep nesting, unknown fields, prototype poisoning, invalid ids,
 * bad pagination, invalid UTF-8, wrong content types and oversized bodies.
 * Nothing may answer 5xx; every 4xx is `{code, detail}`; the malformed bodies
 * must be refused (4xx); and the server is healthy afterwards.
 */

type Body = string | Uint8Array | undefined;
interface Case {
  name: string;
  method: string;
  path: string;
  body: Body;
  contentType?: string;
  /** The request is malformed whatever the route: it must be refused with 4xx. */
  mustRefuse: boolean;
}

const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
const deepObject = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
const huge = 'x'.repeat(200_000);

/** Bodies that are malformed for any route that reads JSON. */
const MALFORMED: Array<[string, Body, string?]> = [
  ['truncated JSON', '{"name": "x"'],
  ['trailing garbage', '{"name":"x"}}'],
  ['bare word', 'nul'],
  ['single quotes', "{'name': 'x'}"],
  ['NaN', '{"rateLimit": NaN}'],
  ['deep arrays', deep(5_000)],
  ['deep objects', deepObject(200)],
  ['deep in a field', `{"name":"x","payload":${deepObject(100)},"eventType":"a.b"}`],
  ['invalid UTF-8', new Uint8Array([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
  ['overlong UTF-8', new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc0, 0xaf, 0x22, 0x7d])],
  ['proto poisoning', '{"name":"x","__proto__":{"admin":true}}'],
  ['constructor poisoning', '{"name":"x","constructor":{"prototype":{"admin":true}}}'],
  ['text/plain', '{"name":"x"}', 'text/plain'],
  ['form', 'name=x', 'application/x-www-form-urlencoded'],
];

/** Bodies that are well-formed JSON but wrong for (nearly) every route: no crash, any 4xx or a harmless 2xx. */
const ODD: Array<[string, Body]> = [
  ['array', '[]'],
  ['string', '"x"'],
  ['number', '42'],
  ['null', 'null'],
  [
    'wrong types',
    '{"name":123,"url":false,"uid":[],"scopes":"admin","eventType":{},"payload":"x","filterTypes":"a","headers":[1],"metadata":{"a":1},"rateLimit":"10","expiry":"soon","type":7,"config":[]}',
  ],
  [
    'huge strings',
    JSON.stringify({
      name: huge,
      url: `https://example.com/${huge}`,
      uid: huge,
      eventType: huge,
      description: huge,
      payload: { s: huge },
      scopes: [huge],
    }),
  ],
  [
    'unknown fields',
    '{"zzz":1,"__unknown":{"a":[1,2]},"name":"fuzz","url":"https://example.com/","eventType":"a.b","payload":{}}',
  ],
  ['bad url', '{"url":"file:///etc/passwd","name":"x","type":"generic-webhook"}'],
  ['private url', '{"url":"http://169.254.169.254/latest/meta-data/","name":"x"}'],
  [
    'control characters',
    '{"name":"a\\u0000b\\r\\nc","uid":"\\u0000","url":"https://e.com/\\u0000","headers":{"x-a":"b\\r\\nInjected: 1"}}',
  ],
  ['negative numbers', '{"rateLimit":-1,"expiry":-5,"limit":-1,"timeoutMs":-1,"retrySchedule":[-1]}'],
  ['huge numbers', '{"rateLimit":1e308,"expiry":1e308,"timeoutMs":9007199254740993,"version":1e400}'],
];

const BAD_IDS = [
  '%00',
  'x'.repeat(290),
  '..%2F..%2Fetc',
  '%F0%9F%92%A9',
  "'%20OR%201=1--",
  '%25ff',
  'app_%00',
  'null',
  '-1',
];
const BAD_QUERIES = [
  'limit=-1',
  'limit=abc',
  'limit=99999999999999999999',
  'limit=1.5',
  'iterator=%00',
  `iterator=${'z'.repeat(300)}`,
  'iterator=%FF%FE',
  'order=sideways',
  'before=not-a-date',
  'after=99999-99-99',
  'status=7',
  'event_types=' + 'a,'.repeat(200),
  'with_content=maybe',
  'limit=1&limit=2&limit=abc',
];

describe('fuzzing every route', () => {
  let server: TestServer;
  let receiver: Receiver;
  let a: Tenant;
  let cases: Case[];

  beforeAll(async () => {
    server = await startTestServer();
    receiver = await Receiver.start();
    a = await makeTenant(server, receiver, 'a');
    const src = await api(server, 'POST', '/ingest/api/v1/source', { name: 'fuzz', type: 'generic-webhook' });
    const real: Record<string, string> = {
      app_id: a.appId,
      endpoint_id: a.endpointId,
      msg_id: a.msgId,
      attempt_id: a.attemptId,
      name: 'tenant.event',
      source_id: src.status === 201 ? src.body.id : 'src_none',
    };
    const fill = (url: string, bad?: string) =>
      url.replace(/:([A-Za-z_]+)/g, (_, n: string) => bad ?? encodeURIComponent(real[n] ?? `${n}_none`));
    const routes = server.hw.api!.routeCatalogue.filter((r) => !r.url.includes('*') && r.url !== '/api/v1/auth/logout');
    cases = [];
    for (const r of routes) {
      const hasParams = r.url.includes(':');
      const readsBody = r.method !== 'GET' && r.method !== 'DELETE';
      if (readsBody) {
        // Deletes are never sent with real ids below, so the fuzzing cannot remove what later cases use.
        for (const [name, body, contentType] of MALFORMED) {
          // Receiving routes store whatever bytes a provider sends: only the API must refuse these.
          cases.push({
            name,
            method: r.method,
            path: fill(r.url),
            body,
            contentType,
            mustRefuse: !r.url.startsWith('/in/'),
          });
        }
        for (const [name, body] of ODD)
          cases.push({ name, method: r.method, path: fill(r.url), body, mustRefuse: false });
      }
      if (hasParams) {
        for (const bad of BAD_IDS) {
          cases.push({
            name: `id ${bad.slice(0, 20)}`,
            method: r.method,
            path: fill(r.url, bad),
            body: readsBody ? '{}' : undefined,
            mustRefuse: false,
          });
        }
      }
      if (r.method === 'GET') {
        for (const q of BAD_QUERIES) {
          cases.push({
            name: `query ${q.slice(0, 30)}`,
            method: 'GET',
            path: `${fill(r.url)}?${q}`,
            body: undefined,
            mustRefuse: false,
          });
        }
      }
    }
    // Oversized bodies (past the 2 MB limit) on every route that takes one.
    const big = `{"name":"${'y'.repeat(3 * 1024 * 1024)}"}`;
    for (const r of routes.filter((x) => x.method === 'POST' || x.method === 'PUT').slice(0, 25)) {
      cases.push({ name: 'oversized', method: r.method, path: fill(r.url), body: big, mustRefuse: true });
    }
  });
  afterAll(async () => {
    await receiver.close();
    await server.close();
  });

  it('answers 300+ malformed requests with 4xx {code, detail} and never 5xx', async () => {
    expect(cases.length).toBeGreaterThanOrEqual(300);
    const problems: string[] = [];
    let refused = 0;
    for (const c of cases) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 10_000);
      let status: number;
      let text: string;
      try {
        const res = await fetch(server.url + c.path, {
          method: c.method,
          signal: controller.signal,
          headers: {
            authorization: `Bearer ${server.token}`,
            ...(c.body !== undefined && { 'content-type': c.contentType ?? 'application/json' }),
          },
          body: c.body,
        });
        status = res.status;
        text = res.headers.get('content-type')?.includes('text/event-stream') ? '' : await res.text();
        controller.abort();
      } catch (err) {
        problems.push(`${c.method} ${c.path.slice(0, 80)} [${c.name}]: ${(err as Error).message}`);
        continue;
      } finally {
        clearTimeout(timer);
      }
      const where = `${c.method} ${c.path.slice(0, 80)} [${c.name}] -> ${status}`;
      if (status >= 500) problems.push(`${where} ${text.slice(0, 200)}`);
      if (c.mustRefuse && (status < 400 || status >= 500)) problems.push(`${where}: not refused`);
      if (status >= 400) {
        refused++;
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
        const ok =
          typeof body === 'object' &&
          body !== null &&
          typeof (body as any).code === 'string' &&
          typeof (body as any).detail === 'string';
        if (!ok) problems.push(`${where}: body ${text.slice(0, 120)}`);
      }
    }
    expect(problems).toEqual([]);
    expect(refused).toBeGreaterThanOrEqual(300);
    // Several cases per route, one after another: the time grows with the route count and the machine's load.
  }, 240_000);

  it('stays healthy', async () => {
    const health = await fetch(`${server.url}/api/v1/health`);
    expect(health.status).toBe(204);
    const app = await api(server, 'GET', `/api/v1/app/${a.appId}`);
    expect(app.status).toBe(200);
  });
});
