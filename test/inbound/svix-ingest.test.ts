import { createHmac } from 'node:crypto';
import { ApiException, Svix } from 'svix';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Receiver } from '../helpers/receiver.js';
import { api, startTestServer, type TestServer, waitFor } from '../helpers/server.js';
import { ingest } from './gateway-helpers.js';

/** svix@1's `ingest.source` and `ingest.endpoint` clients drive Hookway's Ingest API unchanged. */
describe('svix@1 ingest client against Hookway', () => {
  let server: TestServer;
  let svix: Svix;

  beforeAll(async () => {
    server = await startTestServer();
    svix = new Svix(server.token, { serverUrl: server.url });
  });
  afterAll(async () => {
    await server.close();
  });

  it('creates, reads, lists, updates and deletes sources; never returns secrets', async () => {
    const created = await svix.ingest.source.create({
      name: 'GitHub',
      uid: 'github-main',
      type: 'github',
      config: { secret: 'gh-secret-1' },
      metadata: { team: 'platform' },
    });
    expect(created.id).toMatch(/^src_/);
    expect(created.type).toBe('github');
    expect(created.ingestUrl).toBe(`${server.hw.config.publicUrl}/in/${created.id}`);
    expect(created.createdAt).toBeInstanceOf(Date);
    expect(created.metadata).toEqual({ team: 'platform' });
    expect(JSON.stringify(created)).not.toContain('gh-secret-1');

    const byUid = await svix.ingest.source.get('github-main');
    expect(byUid.id).toBe(created.id);
    const raw = await api(server, 'GET', `/ingest/api/v1/source/${created.id}`);
    expect(JSON.stringify(raw.body)).not.toContain('gh-secret-1');
    expect(raw.body.config).toEqual({});

    const openai = await svix.ingest.source.create({
      name: 'OpenAI',
      type: 'open-ai',
      config: { secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
    });
    expect(openai.type).toBe('open-ai');
    const generic = await svix.ingest.source.create({ name: 'Plain', type: 'generic-webhook' });

    const list = await svix.ingest.source.list({ limit: 2 });
    expect(list.data).toHaveLength(2);
    expect(list.done).toBe(false);
    const rest = await svix.ingest.source.list({ limit: 2, iterator: list.iterator ?? undefined });
    expect(new Set([...list.data, ...rest.data].map((s) => s.id))).toEqual(
      new Set([created.id, openai.id, generic.id]),
    );

    // An update that leaves the secret out keeps it (GET never shows it, so read-modify-write must be safe).
    const updated = await svix.ingest.source.update(created.id, {
      name: 'GitHub (org)',
      type: 'github',
      config: { secret: undefined as unknown as string },
    });
    expect(updated.name).toBe('GitHub (org)');
    const body = '{"action":"opened"}';
    const sig = `sha256=${createHmac('sha256', 'gh-secret-1').update(body).digest('hex')}`;
    const ok = await ingest(server, created.id, body, {
      'x-hub-signature-256': sig,
      'x-github-event': 'issues',
      'content-type': 'application/json',
    });
    expect(ok.status).toBe(200);

    await svix.ingest.source.delete(generic.id);
    const gone = await svix.ingest.source.get(generic.id).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(ApiException);
    expect((gone as ApiException<unknown>).code).toBe(404);
    // Its application went with it.
    expect((await api(server, 'GET', `/api/v1/app/source.${generic.id}`)).status).toBe(404);

    const bad = await svix.ingest.source
      .create({ name: 'x', type: 'stripe', config: { secret: '' } })
      .catch((e: unknown) => e);
    expect((bad as ApiException<unknown>).code).toBe(422);
  });

  it('manages ingest endpoints, which receive the source events', async () => {
    const receiver = await Receiver.start();
    try {
      const source = await svix.ingest.source.create({ name: 'Plain', type: 'generic-webhook' });
      const ep = await svix.ingest.endpoint.create(source.id, { url: receiver.url, uid: 'main', description: 'mine' });
      expect(ep.id).toMatch(/^ep_/);
      expect((await svix.ingest.endpoint.get(source.id, 'main')).description).toBe('mine');
      const { key } = await svix.ingest.endpoint.getSecret(source.id, ep.id);
      expect(key).toMatch(/^whsec_/);
      const list = await svix.ingest.endpoint.list(source.id);
      expect(list.data.map((e) => e.id)).toEqual([ep.id]);
      const updated = await svix.ingest.endpoint.update(source.id, ep.id, { url: receiver.url, description: 'v2' });
      expect(updated.description).toBe('v2');
      await svix.ingest.endpoint.updateHeaders(source.id, ep.id, { headers: { 'x-team': 'ops' } });
      expect((await svix.ingest.endpoint.getHeaders(source.id, ep.id)).headers).toEqual({ 'x-team': 'ops' });

      const res = await ingest(server, source.id, '{"type":"ping"}', { 'content-type': 'application/json' });
      expect(res.status).toBe(200);
      await waitFor(() => receiver.received.length === 1);
      expect(receiver.received[0]?.headers['x-team']).toBe('ops');

      await svix.ingest.endpoint.delete(source.id, ep.id);
      expect((await svix.ingest.endpoint.list(source.id)).data).toHaveLength(0);
    } finally {
      await receiver.close();
    }
  });

  it('preloads the OpenAI catalogue as event types for openai sources, keeping existing ones', async () => {
    const fresh = await startTestServer();
    try {
      await api(fresh, 'POST', '/api/v1/event-type', { name: 'batch.completed', description: 'mine' });
      const res = await api(fresh, 'POST', '/ingest/api/v1/source', {
        name: 'OpenAI',
        type: 'openai',
        config: { secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
      });
      expect(res.status).toBe(201);
      const types = await new Svix(fresh.token, { serverUrl: fresh.url }).eventType.list({ limit: 250 });
      const names = types.data.map((t) => t.name);
      expect(names).toContain('response.completed');
      expect(names).toContain('fine_tuning.job.succeeded');
      expect(types.data.find((t) => t.name === 'batch.completed')?.description).toBe('mine');
    } finally {
      await fresh.close();
    }
  });
});
