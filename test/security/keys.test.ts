import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Receiver } from '../helpers/receiver.js';
import { api, startTestServer, type TestServer, waitFor } from '../helpers/server.js';
import { makeKey, makeTenant, type Tenant } from './helpers.js';

describe('API keys, portal tokens, whoami, audit log', () => {
  let server: TestServer;
  let receiver: Receiver;
  let a: Tenant;

  beforeAll(async () => {
    server = await startTestServer();
    receiver = await Receiver.start();
    a = await makeTenant(server, receiver, 'a');
  });
  afterAll(async () => {
    await receiver.close();
    await server.close();
  });

  const as = (token: string) => ({ url: server.url, token });

  it('creates a key shown once, lists it without its hash, revokes it', async () => {
    const created = await api(server, 'POST', '/api/v1/auth/keys', { name: 'ci', scopes: [`app:${a.appUid}`] });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^hw_[A-Za-z0-9_-]{40,}$/);
    // A uid in a scope is stored as the application's id.
    expect(created.body.scopes).toEqual([`app:${a.appId}`]);
    expect(created.body.prefix).toBe(created.body.token.slice(0, 10));

    const list = await api(server, 'GET', '/api/v1/auth/keys?limit=250');
    expect(list.status).toBe(200);
    const text = JSON.stringify(list.body);
    expect(text).not.toContain(created.body.token);
    expect(text).not.toContain('hash');
    const listed = list.body.data.find((k: { id: string }) => k.id === created.body.id);
    expect(listed).toMatchObject({ name: 'ci', prefix: created.body.prefix, lastUsedAt: null, revokedAt: null });

    expect((await api(as(created.body.token), 'GET', `/api/v1/app/${a.appId}`)).status).toBe(200);
    const used = await api(server, 'GET', `/api/v1/auth/keys/${created.body.id}`);
    expect(used.body.lastUsedAt).not.toBeNull();

    expect((await api(server, 'DELETE', `/api/v1/auth/keys/${created.body.id}`)).status).toBe(204);
    const after = await api(as(created.body.token), 'GET', `/api/v1/app/${a.appId}`);
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('unauthorized');
  });

  it('validates scopes and expiry', async () => {
    for (const scopes of [[], ['root'], ['app:app_doesnotexist'], ['ingest:'], [42], ['read-only'], 'admin']) {
      const r = await api(server, 'POST', '/api/v1/auth/keys', { name: 'bad', scopes });
      expect(r.status, JSON.stringify(scopes)).toBe(422);
      expect(r.body).toEqual({ code: 'validation', detail: expect.any(String) });
    }
    const past = await api(server, 'POST', '/api/v1/auth/keys', {
      name: 'old',
      scopes: ['admin'],
      expiresAt: '2001-01-01T00:00:00Z',
    });
    expect(past.status).toBe(422);
    const ingest = await api(server, 'POST', '/api/v1/auth/keys', { name: 'ing', scopes: ['ingest:src_123'] });
    expect(ingest.status).toBe(201);
  });

  it('an expired key is refused', async () => {
    const soon = new Date(Date.now() + 1500).toISOString();
    const r = await api(server, 'POST', '/api/v1/auth/keys', { name: 'short', scopes: ['admin'], expiresAt: soon });
    expect(r.status).toBe(201);
    expect((await api(as(r.body.token), 'GET', '/api/v1/app')).status).toBe(200);
    await new Promise((res) => setTimeout(res, 1600));
    expect((await api(as(r.body.token), 'GET', '/api/v1/app')).status).toBe(401);
  });

  it('scoped keys cannot manage keys or read the audit log', async () => {
    const scoped = await makeKey(server, [`app:${a.appId}`]);
    for (const [method, path] of [
      ['GET', '/api/v1/auth/keys'],
      ['POST', '/api/v1/auth/keys'],
      ['GET', '/api/v1/audit'],
      ['POST', `/api/v1/auth/app-portal-access/${a.appId}`],
    ] as const) {
      const r = await api(
        as(scoped.token),
        method,
        path,
        method === 'POST' ? { name: 'x', scopes: ['admin'] } : undefined,
      );
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body.code).toBe('forbidden');
    }
  });

  it('app portal access: Svix shape, scoped, expiring, read-only, expire-all, logout', async () => {
    const portal = await api(server, 'POST', `/api/v1/auth/app-portal-access/${a.appUid}`, {});
    expect(portal.status).toBe(200);
    expect(portal.body.token).toMatch(/^hw_/);
    expect(portal.body.url).toBe(`${server.hw.config.publicUrl}/#/portal?token=${portal.body.token}&app=${a.appId}`);
    const who = await api(as(portal.body.token), 'GET', '/api/v1/auth/whoami');
    expect(who.status).toBe(200);
    expect(who.body).toMatchObject({ scopes: [`app:${a.appId}`], appId: a.appId, readOnly: false });
    const expires = Date.parse(who.body.expiresAt) - Date.now();
    expect(expires).toBeGreaterThan(7 * 24 * 3600 * 1000 - 60_000);
    expect(expires).toBeLessThanOrEqual(7 * 24 * 3600 * 1000);

    const short = await api(server, 'POST', `/api/v1/auth/app-portal-access/${a.appId}`, { expiry: 3600 });
    const shortWho = await api(as(short.body.token), 'GET', '/api/v1/auth/whoami');
    expect(Date.parse(shortWho.body.expiresAt) - Date.now()).toBeLessThanOrEqual(3600 * 1000);

    const ro = await api(server, 'POST', `/api/v1/auth/app-portal-access/${a.appId}`, { readOnly: true });
    expect((await api(as(ro.body.token), 'GET', `/api/v1/app/${a.appId}/endpoint`)).status).toBe(200);
    const write = await api(as(ro.body.token), 'PATCH', `/api/v1/app/${a.appId}`, { name: 'renamed' });
    expect(write.status).toBe(403);

    // expire-all revokes every portal token of the app, not other keys.
    const other = await makeKey(server, [`app:${a.appId}`], 'not a portal token');
    expect((await api(server, 'POST', `/api/v1/auth/app/${a.appId}/expire-all`, {})).status).toBe(204);
    for (const token of [portal.body.token, short.body.token, ro.body.token]) {
      expect((await api(as(token), 'GET', `/api/v1/app/${a.appId}`)).status).toBe(401);
    }
    expect((await api(as(other.token), 'GET', `/api/v1/app/${a.appId}`)).status).toBe(200);

    // The application is created when it does not exist and `application` is given (Svix).
    const created = await api(server, 'POST', '/api/v1/auth/app-portal-access/portal-made', {
      application: { name: 'Portal made' },
    });
    expect(created.status).toBe(200);
    expect((await api(server, 'GET', '/api/v1/app/portal-made')).status).toBe(200);
    expect((await api(server, 'POST', '/api/v1/auth/app-portal-access/app_missing', {})).status).toBe(404);

    // logout ends the calling token only.
    const session = await api(server, 'POST', `/api/v1/auth/app-portal-access/${a.appId}`, {});
    expect((await api(as(session.body.token), 'POST', '/api/v1/auth/logout')).status).toBe(204);
    expect((await api(as(session.body.token), 'GET', '/api/v1/auth/whoami')).status).toBe(401);
  });

  it('the last admin key cannot be revoked', async () => {
    const keys = await api(server, 'GET', '/api/v1/auth/keys?limit=250');
    const admins = keys.body.data.filter(
      (k: any) =>
        k.scopes.includes('admin') &&
        k.revokedAt === null &&
        (k.expiresAt === null || Date.parse(k.expiresAt) > Date.now()),
    );
    for (const k of admins.slice(1)) {
      expect((await api(server, 'POST', `/api/v1/auth/keys/${k.id}/revoke`)).status).toBe(204);
    }
    const last = await api(server, 'POST', `/api/v1/auth/keys/${admins[0].id}/revoke`);
    expect(last.status).toBe(409);
    expect((await api(server, 'POST', '/api/v1/auth/logout')).status).toBe(409);
  });

  it('the audit log records who changed what', async () => {
    const scoped = await makeKey(server, [`app:${a.appId}`], 'auditor test');
    const ep = await api(as(scoped.token), 'POST', `/api/v1/app/${a.appId}/endpoint`, { url: `${receiver.url}/x` });
    expect(ep.status).toBe(201);
    expect((await api(as(scoped.token), 'DELETE', `/api/v1/app/${a.appId}/endpoint/${ep.body.id}`)).status).toBe(204);
    const entries = await waitFor(async () => {
      const r = await api(server, 'GET', `/api/v1/audit?key_id=${scoped.id}`);
      return r.body.data.length >= 2 ? r.body.data : null;
    });
    expect(entries[0]).toMatchObject({
      keyId: scoped.id,
      method: 'DELETE',
      route: '/api/v1/app/:app_id/endpoint/:endpoint_id',
      appId: a.appId,
      entityId: ep.body.id,
      status: 204,
    });
    expect(entries[1]).toMatchObject({ method: 'POST', route: '/api/v1/app/:app_id/endpoint', entityId: ep.body.id });

    // Key creation is audited too (by the admin key), and reads are not.
    const all = await api(server, 'GET', '/api/v1/audit?limit=250');
    expect(all.body.data.some((e: any) => e.route === '/api/v1/auth/keys' && e.entityId === scoped.id)).toBe(true);
    expect(all.body.data.every((e: any) => e.method !== 'GET')).toBe(true);
    // Publishing messages is data, not configuration.
    expect(all.body.data.some((e: any) => e.route === '/api/v1/app/:app_id/msg')).toBe(false);
    const page = await api(server, 'GET', '/api/v1/audit?limit=1');
    expect(page.body.data).toHaveLength(1);
    expect(page.body.done).toBe(false);
    expect((await api(server, 'GET', '/api/v1/audit?limit=251')).status).toBe(422);
  });
});
