import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '../../src/core/ids.js';
import { api, waitFor } from '../helpers/server.js';
import { createApp, createEndpoint, opsHarness, publish, publishMany } from './helpers.js';

describe('replay: recover, replay-missing and tasks', () => {
  const h = opsHarness();
  afterEach(() => h.close());

  it('recovers 1,000 failed deliveries: the task reaches 100% and every replay is a linked manual attempt', async () => {
    // The breaker would (rightly) pause an endpoint that fails every time; this test wants 1,000 failures fast.
    const server = await h.server({ HOOKWAY_BREAKER_MIN_ATTEMPTS: '100000' });
    let healthy = false;
    const receiver = await h.receiver(() => (healthy ? { status: 200, body: 'ok' } : { status: 500 }));
    const app = await createApp(server);
    const ep = await createEndpoint(server, app.id, { url: receiver.url, retrySchedule: [] });
    const since = new Date(Date.now() - 60_000).toISOString();
    await publishMany(server, app.id, 1000);
    const store = server.hw.store;
    await waitFor(async () => (await store.countDeliveries({ status: 'exhausted' })) === 1000, 60_000, 100);

    healthy = true;
    const started = await api(server, 'POST', `/api/v1/app/${app.id}/endpoint/${ep.id}/recover`, { since });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ status: 'running', task: 'endpoint.recover' });
    expect(started.body.id).toMatch(/^task_/);

    const progress: number[] = [];
    const task = await waitFor(async () => {
      const t = (await api(server, 'GET', `/api/v1/background-task/${started.body.id}`)).body;
      progress.push(t.progress);
      return t.status === 'finished' ? t : null;
    }, 30_000);
    expect(task).toMatchObject({ total: 1000, done: 1000, failed: 0, progress: 1, task: 'endpoint.recover' });
    expect(task.data).toMatchObject({ total: 1000, done: 1000, endpointId: ep.id });
    // The alias answers the same.
    expect((await api(server, 'GET', `/api/v1/task/${started.body.id}`)).body.id).toBe(started.body.id);

    await waitFor(async () => (await store.countDeliveries({ status: 'succeeded' })) === 1000, 60_000, 100);
    const attempts = await api(server, 'GET', `/api/v1/app/${app.id}/attempt/endpoint/${ep.id}?limit=250`);
    const manual = attempts.body.data.filter((a: any) => a.triggerType === 1);
    expect(manual.length).toBe(250);
    for (const a of manual.slice(0, 20)) {
      expect(a.status).toBe(0);
      const parent = (await api(server, 'GET', `/api/v1/app/${app.id}/msg/${a.msgId}/attempt/${a.parentId}`)).body;
      expect(parent).toMatchObject({ id: a.parentId, msgId: a.msgId, status: 2, triggerType: 0 });
    }
    const list = await api(server, 'GET', '/api/v1/background-task?task=endpoint.recover');
    expect(list.body.data.map((t: any) => t.id)).toContain(started.body.id);
  }, 120_000);

  it('replay-missing delivers the messages an endpoint never had, and only those', async () => {
    const server = await h.server();
    const first = await h.receiver();
    const late = await h.receiver();
    const app = await createApp(server);
    await createEndpoint(server, app.id, { url: first.url });
    const since = new Date(Date.now() - 1000).toISOString();
    const before = [await publish(server, app.id), await publish(server, app.id), await publish(server, app.id)];
    const other = await publish(server, app.id, {}, 'not.for.late');
    const lateEp = await createEndpoint(server, app.id, { url: late.url, filterTypes: ['a.b'] });
    const after = await publish(server, app.id);
    await waitFor(() => late.received.length === 1);

    const started = await api(server, 'POST', `/api/v1/app/${app.id}/endpoint/${lateEp.id}/replay-missing`, { since });
    expect(started.status).toBe(202);
    expect(started.body.task).toBe('endpoint.replay');
    await waitFor(
      async () => (await api(server, 'GET', `/api/v1/background-task/${started.body.id}`)).body.status === 'finished',
    );
    await waitFor(() => late.received.length === 4);
    await new Promise((r) => setTimeout(r, 300));
    const ids = late.received.map((r) => r.headers['webhook-id']).sort();
    expect(ids).toEqual([...before.map((m) => m.id), after.id].sort());
    expect(ids).not.toContain(other.id);
    const manual = await api(server, 'GET', `/api/v1/app/${app.id}/attempt/endpoint/${lateEp.id}`);
    expect(manual.body.data.filter((a: any) => a.triggerType === 1)).toHaveLength(3);
  });

  it('validates the window and hides other tenants', async () => {
    const server = await h.server();
    const app = await createApp(server);
    const ep = await createEndpoint(server, app.id, { url: 'http://127.0.0.1:9/x' });
    const bad = await api(server, 'POST', `/api/v1/app/${app.id}/endpoint/${ep.id}/recover`, { since: 'yesterday' });
    expect(bad.status).toBe(422);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect(
      (await api(server, 'POST', `/api/v1/app/${app.id}/endpoint/${ep.id}/recover`, { since: future })).status,
    ).toBe(422);
    expect((await api(server, 'GET', '/api/v1/background-task/task_nope')).status).toBe(404);
  });

  it('a task left running by a dead node is adopted and finished', async () => {
    const server = await h.server({ HOOKWAY_TASK_STALE_SECONDS: '1', HOOKWAY_BREAKER_MIN_ATTEMPTS: '100000' });
    const receiver = await h.receiver(() => ({ status: 500 }));
    const app = await createApp(server);
    const ep = await createEndpoint(server, app.id, { url: receiver.url, retrySchedule: [] });
    const since = Date.now() - 1000;
    await publishMany(server, app.id, 20, 5);
    await waitFor(async () => (await server.hw.store.countDeliveries({ status: 'exhausted' })) === 20);
    receiver.script = () => ({ status: 200, body: 'ok' });
    const now = Date.now();
    const dead = await server.hw.store.createTask({
      id: newId('task', now),
      kind: 'endpoint.recover',
      status: 'running',
      appId: app.id,
      endpointId: ep.id,
      params: { since, until: null },
      total: 0,
      done: 0,
      failed: 0,
      cursor: null,
      error: null,
      owner: 'node_dead',
      heartbeatAt: now - 10_000,
      createdAt: now,
      updatedAt: now - 10_000,
    });
    const task = await waitFor(async () => {
      const t = (await api(server, 'GET', `/api/v1/background-task/${dead.id}`)).body;
      return t.status === 'finished' ? t : null;
    }, 10_000);
    expect(task).toMatchObject({ total: 20, done: 20 });
    await waitFor(async () => (await server.hw.store.countDeliveries({ status: 'succeeded' })) === 20);
  });
});
