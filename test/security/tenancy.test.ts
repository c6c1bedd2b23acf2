import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Receiver } from '../helpers/receiver.js';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { fingerprints, makeKey, makeTenant, probe, type Tenant } from './helpers.js';

/**
 * Tenancy, table-driven over every route the server registers (read from the
 * route catalogue, so routes added later are covered without editing this
 * file). A key scoped to application A:
 *  - asking for application B's objects gets 404 (403 on admin-only routes),
 *    exactly what it gets for objects that do not exist, so it cannot even
 *    learn which ids are taken;
 *  - never sees anything of B in any answer, lists included;
 *  - changes nothing of B.
 */

/** Valid bodies, so the tenancy check (not body validation) is what answers. */
const BODIES: Record<string, unknown> = {
  'POST /api/v1/app': { name: 'x' },
  'PUT /api/v1/app/:app_id': { name: 'hijacked' },
  'PATCH /api/v1/app/:app_id': { name: 'hijacked' },
  'POST /api/v1/app/:app_id/endpoint': { url: 'http://127.0.0.1:9/x' },
  'PUT /api/v1/app/:app_id/endpoint/:endpoint_id': { url: 'http://127.0.0.1:9/hijacked' },
  'PATCH /api/v1/app/:app_id/endpoint/:endpoint_id': { url: 'http://127.0.0.1:9/hijacked' },
  'PUT /api/v1/app/:app_id/endpoint/:endpoint_id/headers': { headers: { 'x-h': 'v' } },
  'PATCH /api/v1/app/:app_id/endpoint/:endpoint_id/headers': { headers: { 'x-h': 'v' } },
  'POST /api/v1/app/:app_id/endpoint/:endpoint_id/secret/rotate': {},
  'POST /api/v1/app/:app_id/msg': { eventType: 'tenant.event', payload: { hijacked: true } },
  'POST /api/v1/event-type': { name: 'hijacked.type' },
  'PUT /api/v1/event-type/:name': { description: 'hijacked' },
  'PATCH /api/v1/event-type/:name': { description: 'hijacked' },
  'POST /api/v1/auth/keys': { name: 'x', scopes: ['admin'] },
  'POST /api/v1/auth/app-portal-access/:app_id': {},
  'POST /api/v1/auth/app/:app_id/expire-all': {},
  'POST /api/v1/app/:app_id/endpoint/:endpoint_id/recover': { since: '2020-01-01T00:00:00Z' },
  'POST /api/v1/app/:app_id/endpoint/:endpoint_id/replay-missing': { since: '2020-01-01T00:00:00Z' },
  'POST /api/v1/app/:app_id/endpoint/:endpoint_id/send-example': { eventType: 'tenant.event' },
  'PUT /api/v1/operational-webhook/endpoint/:endpoint_id': { url: 'http://127.0.0.1:9/hijacked' },
  'PUT /api/v1/operational-webhook/endpoint/:endpoint_id/headers': { headers: { 'x-h': 'v' } },
  'POST /ingest/api/v1/source': { name: 'x', type: 'generic-webhook' },
  'PUT /ingest/api/v1/source/:source_id': { name: 'hijacked', type: 'generic-webhook' },
  'POST /ingest/api/v1/source/:source_id/endpoint': { url: 'http://127.0.0.1:9/x' },
  'PUT /ingest/api/v1/source/:source_id/endpoint/:endpoint_id': { url: 'http://127.0.0.1:9/hijacked' },
  'PUT /ingest/api/v1/source/:source_id/endpoint/:endpoint_id/headers': { headers: { 'x-h': 'v' } },
};

/** Routes this table skips: public ones, and logout (it would end the test's own session; tested below). */
const SKIP = new Set(['POST /api/v1/auth/logout']);
const isPublic = (url: string) =>
  !(url.startsWith('/api/') || url.startsWith('/ingest/api/')) || url.startsWith('/api/v1/health');

function fill(url: string, values: Record<string, string>): string {
  return url.replace(/:([A-Za-z_]+)/g, (_, name: string) => encodeURIComponent(values[name] ?? `${name}_none`));
}

function paramsOf(t: Tenant): Record<string, string> {
  return {
    app_id: t.appId,
    endpoint_id: t.endpointId,
    msg_id: t.msgId,
    attempt_id: t.attemptId,
    name: 'tenant.event',
    ...(t.sourceId && { source_id: t.sourceId }),
  };
}

const MISSING: Record<string, string> = {
  app_id: 'app_2zzzzzzzzzzzzzzzzzzzzzzzzz',
  endpoint_id: 'ep_2zzzzzzzzzzzzzzzzzzzzzzzzz',
  msg_id: 'msg_2zzzzzzzzzzzzzzzzzzzzzzzzz',
  attempt_id: 'atmpt_2zzzzzzzzzzzzzzzzzzzzzz',
  name: 'tenant.event',
  source_id: 'src_2zzzzzzzzzzzzzzzzzzzzzzzzz',
};

describe('tenancy over every route', () => {
  let server: TestServer;
  let receiver: Receiver;
  let a: Tenant;
  let b: Tenant;
  let scoped: { url: string; token: string };
  let portal: { url: string; token: string };
  let routes: Array<{ method: string; url: string }>;
  let bBefore: string;

  const snapshotB = async () =>
    JSON.stringify([
      (await api(server, 'GET', `/api/v1/app/${b.appId}`)).body,
      (await api(server, 'GET', `/api/v1/app/${b.appId}/endpoint`)).body,
      (await api(server, 'GET', `/api/v1/app/${b.appId}/endpoint/${b.endpointId}/secret`)).body,
      (await api(server, 'GET', `/api/v1/app/${b.appId}/endpoint/${b.endpointId}/headers`)).body,
      (await api(server, 'GET', `/api/v1/app/${b.appId}/msg`)).body,
    ]);

  beforeAll(async () => {
    server = await startTestServer();
    receiver = await Receiver.start();
    a = await makeTenant(server, receiver, 'a');
    b = await makeTenant(server, receiver, 'b');
    scoped = { url: server.url, token: (await makeKey(server, [`app:${a.appId}`])).token };
    const p = await api(server, 'POST', `/api/v1/auth/app-portal-access/${a.appId}`, {});
    portal = { url: server.url, token: p.body.token };
    // Deletes last, so A's own objects exist while the other routes are probed.
    routes = server.hw
      .api!.routeCatalogue.filter((r) => !isPublic(r.url) && !SKIP.has(`${r.method} ${r.url}`))
      .sort((x, y) => Number(x.method === 'DELETE') - Number(y.method === 'DELETE'));
    // Inbound sources belong to no application: an app-scoped key must not reach B's either.
    if (routes.some((r) => r.method === 'POST' && r.url === '/ingest/api/v1/source')) {
      const src = await api(server, 'POST', '/ingest/api/v1/source', {
        name: 'B source',
        type: 'generic-webhook',
        forwardToApp: b.appId,
      });
      if (src.status !== 201) throw new Error(`source: ${src.status} ${JSON.stringify(src.body)}`);
      b.sourceId = src.body.id;
    }
    bBefore = await snapshotB();
  });
  afterAll(async () => {
    await receiver.close();
    await server.close();
  });

  it('enumerates the registered routes', () => {
    expect(routes.length).toBeGreaterThanOrEqual(30);
    expect(routes).toContainEqual({ method: 'GET', url: '/api/v1/app/:app_id/endpoint/:endpoint_id/secret' });
  });

  const call = (who: { url: string; token: string }, method: string, url: string, values: Record<string, string>) =>
    probe(
      who,
      method,
      fill(url, values),
      BODIES[`${method} ${url}`] ?? (method === 'GET' || method === 'DELETE' ? undefined : {}),
    );

  for (const [label, who] of [
    ['app-scoped key', () => scoped],
    ['portal token', () => portal],
  ] as const) {
    it(`${label}: B's objects answer 404 (or 403 on admin-only routes), like missing ones, and leak nothing`, async () => {
      const report: string[] = [];
      for (const r of routes) {
        const key = `${r.method} ${r.url}`;
        const own = await call(who(), r.method, r.url, paramsOf(a));
        const adminOnly = own.status === 403;
        const other = await call(who(), r.method, r.url, paramsOf(b));
        const missing = await call(who(), r.method, r.url, MISSING);
        const text = JSON.stringify(other.body) + JSON.stringify(own.body);
        for (const f of fingerprints(b)) if (text.includes(f)) report.push(`${key}: answer shows B's ${f}`);
        if (other.status >= 500 || own.status >= 500) report.push(`${key}: ${other.status}/${own.status}`);
        const tenantRoute = /:(app_id|endpoint_id|msg_id|attempt_id|source_id)\b/.test(r.url);
        if (tenantRoute) {
          const expected = adminOnly ? 403 : 404;
          // A route this table has no body for may refuse the body first (422); that is
          // fine as long as B's objects and missing ones get the same answer (checked next).
          const bodyFirst = other.status === 422 && !(key in BODIES) && !['GET', 'DELETE'].includes(r.method);
          if (other.status !== expected && !bodyFirst)
            report.push(`${key}: B answered ${other.status}, want ${expected}`);
          if (other.status !== missing.status || other.body?.code !== missing.body?.code) {
            report.push(
              `${key}: B answered ${other.status} ${other.body?.code}, missing ${missing.status} ${missing.body?.code}`,
            );
          }
        } else if (adminOnly && other.status !== 403) {
          report.push(`${key}: admin-only route answered ${other.status}`);
        }
      }
      expect(report).toEqual([]);
    });
  }

  it("lists show only A's objects", async () => {
    for (const r of routes.filter((x) => x.method === 'GET')) {
      const res = await call(scoped, 'GET', r.url, paramsOf(a));
      const text = JSON.stringify(res.body);
      for (const f of fingerprints(b)) expect(text, `${r.url} shows ${f}`).not.toContain(f);
    }
    const apps = await api(scoped, 'GET', '/api/v1/app');
    expect(apps.body.data.map((x: { id: string }) => x.id)).toEqual([a.appId]);
  });

  it('admin-only routes answer 403 to scoped keys', async () => {
    for (const [method, url] of [
      ['POST', '/api/v1/app'],
      ['DELETE', `/api/v1/app/${a.appId}`],
      ['POST', '/api/v1/event-type'],
      ['PATCH', '/api/v1/event-type/tenant.event'],
      ['DELETE', '/api/v1/event-type/tenant.event'],
      ['GET', '/api/v1/auth/keys'],
      ['GET', '/api/v1/audit'],
      ['POST', `/api/v1/auth/app-portal-access/${a.appId}`],
      ['POST', `/api/v1/auth/app/${a.appId}/expire-all`],
    ] as const) {
      const r = await api(scoped, method, url, method === 'GET' || method === 'DELETE' ? undefined : { name: 'x.y' });
      expect(r.status, `${method} ${url}`).toBe(403);
      expect(r.body).toEqual({ code: 'forbidden', detail: expect.any(String) });
    }
  });

  it('B is unchanged after all of it', async () => {
    expect(await snapshotB()).toBe(bBefore);
  });

  it('uids are covered too: B by uid is 404', async () => {
    for (const path of [
      `/api/v1/app/${b.appUid}`,
      `/api/v1/app/${b.appUid}/endpoint/${b.endpointUid}`,
      `/api/v1/app/${b.appUid}/msg/${b.eventId}`,
    ]) {
      expect((await api(scoped, 'GET', path)).status, path).toBe(404);
    }
  });

  it('an ingest-scoped key sees no application', async () => {
    const ingest = { url: server.url, token: (await makeKey(server, ['ingest:src_x'])).token };
    expect((await api(ingest, 'GET', `/api/v1/app/${a.appId}`)).status).toBe(404);
    expect((await api(ingest, 'GET', '/api/v1/app')).body.data).toEqual([]);
  });
});
