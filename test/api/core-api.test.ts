import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestServer, type TestServer } from '../helpers/server.js';

/** Status codes and `{code, detail}` errors of the core API, and Idempotency-Key. */
describe('core API behaviour', () => {
  let server: TestServer;
  let appId: string;
  beforeAll(async () => {
    server = await startTestServer();
    appId = (await api(server, 'POST', '/api/v1/app', { name: 'core', uid: 'core' })).body.id;
  });
  afterAll(() => server.close());

  const expectError = (res: { status: number; body: any }, status: number, code: string) => {
    expect(res.status).toBe(status);
    expect(res.body.code).toBe(code);
    expect(typeof res.body.detail).toBe('string');
    expect(res.body.detail.length).toBeGreaterThan(0);
  };

  it('400 on malformed JSON', async () => {
    expectError(await api(server, 'POST', '/api/v1/app', '{"name": '), 400, 'invalid_json');
  });

  it('401 without or with a wrong token', async () => {
    expectError(await api({ ...server, token: 'nope' }, 'GET', '/api/v1/app'), 401, 'unauthorized');
    const res = await fetch(`${server.url}/api/v1/app`);
    expect(res.status).toBe(401);
  });

  it('404 on unknown ids and routes', async () => {
    expectError(await api(server, 'GET', '/api/v1/app/app_nope'), 404, 'not_found');
    expectError(await api(server, 'GET', `/api/v1/app/${appId}/endpoint/ep_nope`), 404, 'not_found');
    expectError(await api(server, 'GET', `/api/v1/app/${appId}/msg/msg_nope`), 404, 'not_found');
    expectError(await api(server, 'GET', '/api/v1/nothing-here'), 404, 'not_found');
  });

  it('409 on a duplicate uid', async () => {
    expectError(await api(server, 'POST', '/api/v1/app', { name: 'again', uid: 'core' }), 409, 'conflict');
    const existing = await api(server, 'POST', '/api/v1/app?get_if_exists=true', { name: 'again', uid: 'core' });
    expect(existing.status).toBe(200);
    expect(existing.body.id).toBe(appId);
  });

  it('413 on an oversized body', async () => {
    const big = JSON.stringify({ eventType: 'big.one', payload: { blob: 'x'.repeat(3 * 1024 * 1024) } });
    expectError(await api(server, 'POST', `/api/v1/app/${appId}/msg`, big), 413, 'payload_too_large');
  });

  it('422 on wrong types, bad URLs, bad secrets and bad limits', async () => {
    expectError(await api(server, 'POST', '/api/v1/app', { name: 5 }), 422, 'validation');
    expectError(
      await api(server, 'POST', `/api/v1/app/${appId}/endpoint`, { url: 'ftp://example.com' }),
      422,
      'validation',
    );
    expectError(
      await api(server, 'POST', `/api/v1/app/${appId}/endpoint`, {
        url: 'https://example.com/hook',
        secret: 'whsec_short',
      }),
      422,
      'validation',
    );
    expectError(await api(server, 'GET', '/api/v1/app?limit=100000'), 422, 'validation');
    expectError(
      await api(server, 'POST', `/api/v1/app/${appId}/endpoint`, {
        url: 'https://example.com/hook',
        filterTypes: ['bad type!'],
      }),
      422,
      'validation',
    );
    expectError(
      await api(server, 'PUT', `/api/v1/app/${appId}/endpoint/nope/headers`, { headers: { 'x-ok': 'a\r\nb' } }),
      404,
      'not_found',
    );
  });

  it('generates a whsec_ secret of 24 to 64 bytes when none is given, and accepts a valid one', async () => {
    const ep = (await api(server, 'POST', `/api/v1/app/${appId}/endpoint`, { url: 'https://example.com/a' })).body;
    const { key } = (await api(server, 'GET', `/api/v1/app/${appId}/endpoint/${ep.id}/secret`)).body;
    const bytes = Buffer.from(key.slice('whsec_'.length), 'base64').length;
    expect(key.startsWith('whsec_')).toBe(true);
    expect(bytes).toBeGreaterThanOrEqual(24);
    expect(bytes).toBeLessThanOrEqual(64);
    const given = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const ep2 = (
      await api(server, 'POST', `/api/v1/app/${appId}/endpoint`, { url: 'https://example.com/b', secret: given })
    ).body;
    expect((await api(server, 'GET', `/api/v1/app/${appId}/endpoint/${ep2.id}/secret`)).body.key).toBe(given);
  });

  it('rejects reserved and CR/LF custom headers', async () => {
    const ep = (await api(server, 'POST', `/api/v1/app/${appId}/endpoint`, { url: 'https://example.com/h' })).body;
    const path = `/api/v1/app/${appId}/endpoint/${ep.id}/headers`;
    expectError(await api(server, 'PUT', path, { headers: { 'webhook-signature': 'x' } }), 422, 'validation');
    expectError(await api(server, 'PUT', path, { headers: { host: 'evil' } }), 422, 'validation');
    expectError(await api(server, 'PUT', path, { headers: { 'x-a': 'line\r\nInjected: 1' } }), 422, 'validation');
    expect((await api(server, 'PATCH', path, { headers: { 'x-a': 'fine' } })).status).toBe(204);
  });

  it('returns the first answer again for a repeated Idempotency-Key', async () => {
    const headers = { 'idempotency-key': 'order-42' };
    const first = await api(
      server,
      'POST',
      `/api/v1/app/${appId}/msg`,
      { eventType: 'a.b', payload: { n: 1 } },
      headers,
    );
    const second = await api(
      server,
      'POST',
      `/api/v1/app/${appId}/msg`,
      { eventType: 'a.b', payload: { n: 2 } },
      headers,
    );
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body).toEqual(first.body);
    const list = await api(server, 'GET', `/api/v1/app/${appId}/msg?event_types=a.b`);
    expect(list.body.data.filter((m: any) => m.eventType === 'a.b')).toHaveLength(1);
  });

  it('filters messages by event type, channel and time', async () => {
    const app = (await api(server, 'POST', '/api/v1/app', { name: 'filters' })).body.id;
    await api(server, 'POST', `/api/v1/app/${app}/msg`, { eventType: 'x.one', payload: {}, channels: ['eu'] });
    const cut = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    await api(server, 'POST', `/api/v1/app/${app}/msg`, { eventType: 'x.two', payload: {}, channels: ['us'] });
    const byType = await api(server, 'GET', `/api/v1/app/${app}/msg?event_types=x.two`);
    expect(byType.body.data.map((m: any) => m.eventType)).toEqual(['x.two']);
    const byChannel = await api(server, 'GET', `/api/v1/app/${app}/msg?channel=eu`);
    expect(byChannel.body.data.map((m: any) => m.eventType)).toEqual(['x.one']);
    const after = await api(server, 'GET', `/api/v1/app/${app}/msg?after=${encodeURIComponent(cut)}`);
    expect(after.body.data.map((m: any) => m.eventType)).toEqual(['x.two']);
    const noContent = await api(server, 'GET', `/api/v1/app/${app}/msg?with_content=false`);
    expect(noContent.body.data[0].payload).toEqual({});
  });

  it('delivers only to endpoints whose filterTypes and channels match', async () => {
    const app = (await api(server, 'POST', '/api/v1/app', { name: 'fanout' })).body.id;
    const a = (
      await api(server, 'POST', `/api/v1/app/${app}/endpoint`, {
        url: 'https://example.com/1',
        filterTypes: ['user.*'],
      })
    ).body;
    const b = (
      await api(server, 'POST', `/api/v1/app/${app}/endpoint`, { url: 'https://example.com/2', channels: ['vip'] })
    ).body;
    const c = (
      await api(server, 'POST', `/api/v1/app/${app}/endpoint`, {
        url: 'https://example.com/3',
        filterTypes: ['order.paid'],
      })
    ).body;
    const msg = (await api(server, 'POST', `/api/v1/app/${app}/msg`, { eventType: 'user.created', payload: {} })).body;
    const dest = (await api(server, 'GET', `/api/v1/app/${app}/msg/${msg.id}/endpoint`)).body.data.map(
      (d: any) => d.id,
    );
    expect(dest).toContain(a.id);
    expect(dest).not.toContain(b.id);
    expect(dest).not.toContain(c.id);
  });

  it('answers health without a token', async () => {
    const res = await fetch(`${server.url}/api/v1/health`);
    expect(res.status).toBe(204);
  });
});
