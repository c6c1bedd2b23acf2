import { readFileSync } from 'node:fs';
import { ApiException, MessageStatus, StatusCodeClass, Svix, Webhook as SvixWebhook } from 'svix';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Receiver } from '../helpers/receiver.js';
import { api, startTestServer, type TestServer, waitFor } from '../helpers/server.js';

/**
 * Every method of the svix@1 client for the routes Hookway serves, driven
 * against a live Hookway, each result checked (not only "did not throw").
 * The methods of Svix's hosted service that Hookway does not serve answer 404
 * `not_found`; docs/migrating-from-svix.md lists every method, and the last
 * test keeps that table and these lists in step.
 */

/** The client's methods that only Svix's hosted service has: Hookway answers them 404. */
const UNSUPPORTED = [
  'authentication.dashboardAccess',
  'authentication.streamPortalAccess',
  'authentication.streamLogout',
  'authentication.streamExpireAll',
  'authentication.rotateStreamPollerToken',
  'authentication.getStreamPollerToken',
  'connector.list',
  'connector.create',
  'connector.get',
  'connector.update',
  'connector.delete',
  'connector.patch',
  'endpoint.bulkReplay',
  'environment.export',
  'environment.import',
  'eventType.importOpenapi',
  'ingest.dashboard',
  'ingest.endpoint.getTransformation',
  'ingest.endpoint.setTransformation',
  'integration.list',
  'integration.create',
  'integration.get',
  'integration.update',
  'integration.delete',
  'integration.rotateKey',
  'integration.getKey',
  'message.precheck',
  'message.expungeAllContents',
  'message.poller.poll',
  'message.poller.consumerPoll',
  'message.poller.consumerSeek',
  'messageAttempt.expungeContent',
  'statistics.aggregateEventTypes',
  'statistics.aggregateAppStats',
  'streaming.sinkTransformationGet',
  'streaming.sinkHeadersGet',
  'streaming.sinkHeadersPatch',
  'streaming.event_type.list',
  'streaming.event_type.create',
  'streaming.event_type.get',
  'streaming.event_type.update',
  'streaming.event_type.delete',
  'streaming.event_type.patch',
  'streaming.events.get',
  'streaming.events.create',
  'streaming.sink.list',
  'streaming.sink.create',
  'streaming.sink.get',
  'streaming.sink.update',
  'streaming.sink.delete',
  'streaming.sink.patch',
  'streaming.sink.transformationPartialUpdate',
  'streaming.sink.getSecret',
  'streaming.sink.rotateSecret',
  'streaming.stream.list',
  'streaming.stream.create',
  'streaming.stream.get',
  'streaming.stream.update',
  'streaming.stream.delete',
  'streaming.stream.patch',
];

/** Every method name of the client, by walking its resource getters (`ingest.source.list`, ...). */
function clientMethods(svix: Svix): string[] {
  const out: string[] = [];
  const walk = (obj: object, prefix: string, depth: number) => {
    const proto = Object.getPrototypeOf(obj) as object;
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name === 'constructor') continue;
      const desc = Object.getOwnPropertyDescriptor(proto, name);
      if (desc?.get && depth < 3) walk(desc.get.call(obj) as object, `${prefix}${name}.`, depth + 1);
      else if (typeof desc?.value === 'function') out.push(`${prefix}${name}`);
    }
  };
  walk(svix, '', 0);
  return out.sort();
}

async function apiError(p: Promise<unknown>): Promise<ApiException<{ code: string; detail: string }>> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiException);
  return err as ApiException<{ code: string; detail: string }>;
}

describe.each(['sqlite', 'postgres'])('every svix@1 client method against Hookway on %s', (db) => {
  let server: TestServer;
  let receiver: Receiver;
  let failing: Receiver;
  let svix: Svix;

  beforeAll(async () => {
    server = await startTestServer({}, { HOOKWAY_TEST_DB: db });
    receiver = await Receiver.start();
    failing = await Receiver.start(() => ({ status: 500, body: 'down' }));
    svix = new Svix(server.token, { serverUrl: server.url, numRetries: 0 });
  });
  afterAll(async () => {
    await receiver.close();
    await failing.close();
    await server.close();
  });

  it('health.get', async () => {
    await expect(svix.health.get()).resolves.toBeUndefined();
  });

  it('application: create, getOrCreate, get, list (pages both ways), update, patch, delete', async () => {
    const a = await svix.application.create({ name: 'A', uid: 'client-a', metadata: { tier: 'gold' } });
    expect(a).toMatchObject({ name: 'A', uid: 'client-a', metadata: { tier: 'gold' } });
    expect(a.createdAt).toBeInstanceOf(Date);
    expect((await svix.application.getOrCreate({ name: 'ignored', uid: 'client-a' })).id).toBe(a.id);
    const made = await svix.application.getOrCreate({ name: 'B', uid: 'client-b' });
    expect(made).toMatchObject({ name: 'B', uid: 'client-b' });
    expect((await svix.application.get('client-a')).id).toBe(a.id);
    for (let i = 0; i < 3; i++) await svix.application.create({ name: `P${i}` });

    const p1 = await svix.application.list({ limit: 2 });
    const p2 = await svix.application.list({ limit: 2, iterator: p1.iterator });
    expect(p1.done).toBe(false);
    expect(p2.data).toHaveLength(2);
    const back = await svix.application.list({ limit: 2, iterator: p2.prevIterator });
    expect(back.data.map((x) => x.id)).toEqual(p1.data.map((x) => x.id));
    const asc = await svix.application.list({ limit: 250, order: 'ascending' as never });
    const desc = await svix.application.list({ limit: 250 });
    expect(asc.data.map((x) => x.id)).toEqual([...desc.data.map((x) => x.id)].reverse());

    const updated = await svix.application.update(a.id, { name: 'A2', uid: 'client-a', rateLimit: 10 });
    expect(updated).toMatchObject({ name: 'A2', rateLimit: 10 });
    const patched = await svix.application.patch(a.id, { name: 'A3' });
    expect(patched).toMatchObject({ name: 'A3', rateLimit: 10, uid: 'client-a' });
    await svix.application.delete(made.id);
    expect((await apiError(svix.application.get(made.id))).code).toBe(404);
  });

  it('eventType: create, get, list (archived, without content, prev page), update, patch, delete (archive, expunge); 404s', async () => {
    const schema = { '1': { type: 'object', properties: { n: { type: 'number' } } } };
    const created = await svix.eventType.create({ name: 'cl.one', description: 'One', schemas: schema });
    expect(created).toMatchObject({ name: 'cl.one', description: 'One', archived: false, schemas: schema });
    expect((await apiError(svix.eventType.create({ name: 'cl.one', description: 'dup' }))).code).toBe(409);
    for (const n of ['cl.two', 'cl.three']) await svix.eventType.create({ name: n, description: n });
    expect((await svix.eventType.get('cl.one')).description).toBe('One');

    const updated = await svix.eventType.update('cl.one', { description: 'Uno', schemas: schema });
    expect(updated.description).toBe('Uno');
    const upserted = await svix.eventType.update('cl.four', { description: 'made by PUT' });
    expect(upserted.name).toBe('cl.four');
    const patched = await svix.eventType.patch('cl.one', { deprecated: true });
    expect(patched).toMatchObject({ description: 'Uno', deprecated: true });

    const noContent = await svix.eventType.list({ withContent: false, limit: 250 });
    expect(noContent.data.find((e) => e.name === 'cl.one')?.schemas ?? null).toBeNull();
    const p1 = await svix.eventType.list({ limit: 2 });
    const p2 = await svix.eventType.list({ limit: 2, iterator: p1.iterator });
    expect((await svix.eventType.list({ limit: 2, iterator: p2.prevIterator })).data.map((e) => e.name)).toEqual(
      p1.data.map((e) => e.name),
    );

    await svix.eventType.delete('cl.two');
    expect((await svix.eventType.get('cl.two')).archived).toBe(true);
    const visible = (await svix.eventType.list({ limit: 250 })).data.map((e) => e.name);
    const all = (await svix.eventType.list({ limit: 250, includeArchived: true })).data.map((e) => e.name);
    expect(visible).not.toContain('cl.two');
    expect(all).toContain('cl.two');
    await svix.eventType.delete('cl.three', { expunge: true });
    expect((await apiError(svix.eventType.get('cl.three'))).code).toBe(404);

    // Svix answers 404 to a PATCH or DELETE of a name that does not exist; nothing is created.
    expect((await apiError(svix.eventType.patch('cl.missing', { description: 'x' }))).code).toBe(404);
    expect((await apiError(svix.eventType.delete('cl.missing'))).code).toBe(404);
    expect((await apiError(svix.eventType.get('cl.missing'))).code).toBe(404);
  });

  it('endpoint: create, get, list, update, patch, headers (4 methods), secret, rotation, stats, send-example, delete', async () => {
    const app = await svix.application.create({ name: 'Endpoints' });
    const ep = await svix.endpoint.create(app.id, {
      url: receiver.url,
      uid: 'ep-main',
      description: 'main',
      filterTypes: ['ep.*'],
      channels: ['eu'],
      metadata: { team: 'core' },
      headers: { 'x-one': '1' },
    });
    expect(ep).toMatchObject({ url: receiver.url, uid: 'ep-main', filterTypes: ['ep.*'], channels: ['eu'] });
    expect((await svix.endpoint.get(app.id, 'ep-main')).id).toBe(ep.id);
    const other = await svix.endpoint.create(app.id, { url: `${receiver.url}?other` });
    const listed = await svix.endpoint.list(app.id, { limit: 1 });
    expect(listed.data).toHaveLength(1);
    const next = await svix.endpoint.list(app.id, { limit: 1, iterator: listed.iterator });
    expect(new Set([listed.data[0]?.id, next.data[0]?.id])).toEqual(new Set([ep.id, other.id]));
    expect((await svix.endpoint.list(app.id, { limit: 1, iterator: next.prevIterator })).data[0]?.id).toBe(
      listed.data[0]?.id,
    );
    const asc = await svix.endpoint.list(app.id, { order: 'ascending' as never });
    expect(asc.data.map((e) => e.id)).toEqual([ep.id, other.id]);

    const updated = await svix.endpoint.update(app.id, ep.id, {
      url: receiver.url,
      description: 'put',
      uid: 'ep-main',
    });
    expect(updated).toMatchObject({ description: 'put', filterTypes: null });
    const patched = await svix.endpoint.patch(app.id, ep.id, { filterTypes: ['ep.*'], rateLimit: 50 });
    expect(patched).toMatchObject({ description: 'put', filterTypes: ['ep.*'], rateLimit: 50 });

    expect((await svix.endpoint.getHeaders(app.id, ep.id)).headers).toEqual({ 'x-one': '1' });
    await svix.endpoint.updateHeaders(app.id, ep.id, { headers: { 'x-two': '2' } });
    expect((await svix.endpoint.getHeaders(app.id, ep.id)).headers).toEqual({ 'x-two': '2' });
    await svix.endpoint.headersUpdate(app.id, ep.id, { headers: { 'x-three': '3' } });
    expect((await svix.endpoint.getHeaders(app.id, ep.id)).headers).toEqual({ 'x-three': '3' });
    await svix.endpoint.patchHeaders(app.id, ep.id, { headers: { 'x-four': '4' } });
    expect((await svix.endpoint.getHeaders(app.id, ep.id)).headers).toEqual({ 'x-three': '3', 'x-four': '4' });
    await svix.endpoint.headersPatch(app.id, ep.id, { headers: { 'x-three': null as unknown as string } });
    expect((await svix.endpoint.getHeaders(app.id, ep.id)).headers).toEqual({ 'x-four': '4' });

    const { key: first } = await svix.endpoint.getSecret(app.id, ep.id);
    expect(first).toMatch(/^whsec_/);
    await svix.endpoint.rotateSecret(app.id, ep.id, {});
    const { key: second } = await svix.endpoint.getSecret(app.id, ep.id);
    expect(second).toMatch(/^whsec_/);
    expect(second).not.toBe(first);
    const imported = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    await svix.endpoint.rotateSecret(app.id, ep.id, { key: imported });
    expect((await svix.endpoint.getSecret(app.id, ep.id)).key).toBe(imported);

    // send-example: the ping reaches this endpoint only, signed with the current secret, both old ones still signing.
    const before = receiver.received.length;
    const example = await svix.endpoint.sendExample(app.id, ep.id, { eventType: 'svix.ping' });
    expect(example).toMatchObject({ eventType: 'svix.ping', payload: { success: true } });
    const got = await waitFor(() =>
      receiver.received.slice(before).find((r) => r.headers['webhook-id'] === example.id),
    );
    expect(new SvixWebhook(imported).verify(got.body, got.headers)).toEqual({ success: true });
    expect(new SvixWebhook(first).verify(got.body, got.headers)).toEqual({ success: true });
    expect(got.headers['x-four']).toBe('4');

    const stats = await waitFor(async () => {
      const s = await svix.endpoint.getStats(app.id, ep.id, { since: new Date(Date.now() - 3_600_000) });
      return s.success >= 1 ? s : null;
    });
    expect(stats).toMatchObject({ success: 1, fail: 0, pending: 0, sending: 0 });

    await svix.endpoint.delete(app.id, other.id);
    expect((await apiError(svix.endpoint.get(app.id, other.id))).code).toBe(404);
  });

  it('endpoint transformations: transformationGet, patchTransformation, transformationPartialUpdate', async () => {
    const app = await svix.application.create({ name: 'Transform' });
    const ep = await svix.endpoint.create(app.id, { url: receiver.url });
    expect(await svix.endpoint.transformationGet(app.id, ep.id)).toMatchObject({ code: null, enabled: false });
    const code = 'function handler(webhook) { webhook.payload = { wrapped: webhook.payload }; return webhook; }';
    await svix.endpoint.patchTransformation(app.id, ep.id, { code, enabled: true });
    const got = await svix.endpoint.transformationGet(app.id, ep.id);
    expect(got).toMatchObject({ code, enabled: true });
    expect(got.updatedAt).toBeInstanceOf(Date);
    await svix.endpoint.transformationPartialUpdate(app.id, ep.id, { enabled: false });
    expect(await svix.endpoint.transformationGet(app.id, ep.id)).toMatchObject({ code: null, enabled: false });
    const err = await apiError(svix.endpoint.patchTransformation(app.id, ep.id, { enabled: true }));
    expect(err.code).toBe(422);
    expect(err.body.detail).toMatch(/code is required/);
  });

  it('message: create, get, list with every filter (prev page too), expungeContent', async () => {
    const app = await svix.application.create({ name: 'Messages' });
    await svix.endpoint.create(app.id, { url: receiver.url });
    const a = await svix.message.create(app.id, {
      eventType: 'm.a',
      eventId: 'm-1',
      payload: { n: 1 },
      channels: ['red'],
      tags: ['t1'],
    });
    await new Promise((r) => setTimeout(r, 20));
    const middle = new Date();
    await new Promise((r) => setTimeout(r, 20));
    const b = await svix.message.create(app.id, { eventType: 'm.b', payload: { n: 2 }, channels: ['blue'] });
    const c = await svix.message.create(app.id, { eventType: 'm.a', payload: { n: 3 }, tags: ['t2'] });
    expect(a).toMatchObject({ eventType: 'm.a', eventId: 'm-1', payload: { n: 1 }, channels: ['red'], tags: ['t1'] });
    expect(a.timestamp).toBeInstanceOf(Date);
    expect((await svix.message.get(app.id, a.id)).payload).toEqual({ n: 1 });
    expect((await svix.message.get(app.id, 'm-1')).id).toBe(a.id);

    const ids = async (o: Parameters<Svix['message']['list']>[1]) =>
      (await svix.message.list(app.id, o)).data.map((m) => m.id);
    expect(await ids({})).toEqual([c.id, b.id, a.id]);
    expect(await ids({ eventTypes: ['m.a'] })).toEqual([c.id, a.id]);
    expect(await ids({ channel: 'blue' })).toEqual([b.id]);
    expect(await ids({ tag: 't2' })).toEqual([c.id]);
    expect(await ids({ before: middle })).toEqual([a.id]);
    expect(await ids({ after: middle })).toEqual([c.id, b.id]);
    const bare = await svix.message.list(app.id, { withContent: false });
    expect(bare.data.every((m) => JSON.stringify(m.payload) === '{}')).toBe(true);
    const p1 = await svix.message.list(app.id, { limit: 1 });
    const p2 = await svix.message.list(app.id, { limit: 1, iterator: p1.iterator });
    expect(p2.data[0]?.id).toBe(b.id);
    expect((await svix.message.list(app.id, { limit: 1, iterator: p2.prevIterator })).data[0]?.id).toBe(c.id);

    await svix.message.expungeContent(app.id, a.id);
    const expunged = await svix.message.get(app.id, a.id);
    expect(expunged.payload).not.toEqual({ n: 1 });
  });

  it('messageAttempt: listByEndpoint/listByMsg with every filter, get, listAttemptedMessages, listAttemptedDestinations, resend', async () => {
    const app = await svix.application.create({ name: 'Attempts' });
    const ok = await svix.endpoint.create(app.id, { url: receiver.url, uid: 'ok' });
    const bad = await svix.endpoint.create(app.id, { url: failing.url, uid: 'bad', filterTypes: ['at.fail'] });
    const m1 = await svix.message.create(app.id, {
      eventType: 'at.ok',
      payload: { i: 1 },
      channels: ['c1'],
      tags: ['x'],
    });
    const m2 = await svix.message.create(app.id, { eventType: 'at.fail', payload: { i: 2 } });
    const ok1 = await waitFor(async () => {
      const l = await svix.messageAttempt.listByEndpoint(app.id, ok.id);
      return l.data.length === 2 ? l : null;
    });
    expect(ok1.data.every((x) => x.status === MessageStatus.Success && x.responseStatusCode === 200)).toBe(true);
    const failed = await waitFor(async () => {
      const l = await svix.messageAttempt.listByEndpoint(app.id, bad.id);
      return l.data.length >= 1 ? l : null;
    });
    expect(failed.data[0]).toMatchObject({ msgId: m2.id, status: MessageStatus.Fail, responseStatusCode: 500 });

    const byEp = async (o: Parameters<Svix['messageAttempt']['listByEndpoint']>[2]) =>
      (await svix.messageAttempt.listByEndpoint(app.id, ok.id, o)).data.map((x) => x.msgId);
    expect(await byEp({ eventTypes: ['at.ok'] })).toEqual([m1.id]);
    expect(await byEp({ channel: 'c1' })).toEqual([m1.id]);
    expect(await byEp({ tag: 'x' })).toEqual([m1.id]);
    expect(await byEp({ status: MessageStatus.Fail })).toEqual([]);
    expect((await byEp({ statusCodeClass: StatusCodeClass.Code2xx })).sort()).toEqual([m1.id, m2.id].sort());
    expect(await byEp({ statusCodeClass: StatusCodeClass.Code5xx })).toEqual([]);
    expect(await byEp({ before: new Date(Date.now() - 3_600_000) })).toEqual([]);
    expect((await byEp({ after: new Date(Date.now() - 3_600_000) })).length).toBe(2);
    const withMsg = await svix.messageAttempt.listByEndpoint(app.id, ok.id, { withMsg: true, eventTypes: ['at.ok'] });
    expect(withMsg.data[0]?.msg?.payload).toEqual({ i: 1 });
    const noContent = await svix.messageAttempt.listByEndpoint(app.id, ok.id, { withContent: false });
    expect(noContent.data.every((x) => x.response === '')).toBe(true);
    const e1 = await svix.messageAttempt.listByEndpoint(app.id, ok.id, { limit: 1 });
    const e2 = await svix.messageAttempt.listByEndpoint(app.id, ok.id, { limit: 1, iterator: e1.iterator });
    expect(
      (await svix.messageAttempt.listByEndpoint(app.id, ok.id, { limit: 1, iterator: e2.prevIterator })).data[0]?.id,
    ).toBe(e1.data[0]?.id);

    const byMsg = async (o: Parameters<Svix['messageAttempt']['listByMsg']>[2]) =>
      (await svix.messageAttempt.listByMsg(app.id, m2.id, o)).data.map((x) => x.endpointId);
    expect(new Set(await byMsg({}))).toEqual(new Set([ok.id, bad.id]));
    expect(new Set(await byMsg({ endpointId: bad.id }))).toEqual(new Set([bad.id]));
    expect(new Set(await byMsg({ status: MessageStatus.Fail }))).toEqual(new Set([bad.id]));
    expect(new Set(await byMsg({ statusCodeClass: StatusCodeClass.Code5xx }))).toEqual(new Set([bad.id]));
    expect(await byMsg({ eventTypes: ['at.ok'] })).toEqual([]);
    expect(await byMsg({ channel: 'c1' })).toEqual([]);
    expect(await byMsg({ tag: 'x' })).toEqual([]);

    const attemptId = failed.data[0]?.id ?? '';
    const one = await svix.messageAttempt.get(app.id, m2.id, attemptId);
    expect(one).toMatchObject({ id: attemptId, msgId: m2.id, endpointId: bad.id, responseStatusCode: 500 });

    const sent = await svix.messageAttempt.listAttemptedMessages(app.id, ok.id);
    expect(sent.data.map((m) => m.id)).toEqual([m2.id, m1.id]);
    expect(sent.data[1]).toMatchObject({ eventType: 'at.ok', payload: { i: 1 }, status: MessageStatus.Success });
    expect(sent.data[1]?.statusText).toBe('success');
    const am = async (o: Parameters<Svix['messageAttempt']['listAttemptedMessages']>[2]) =>
      (await svix.messageAttempt.listAttemptedMessages(app.id, ok.id, o)).data.map((m) => m.id);
    expect(await am({ eventTypes: ['at.fail'] })).toEqual([m2.id]);
    expect(await am({ channel: 'c1' })).toEqual([m1.id]);
    expect(await am({ tag: 'x' })).toEqual([m1.id]);
    expect(await am({ status: MessageStatus.Fail })).toEqual([]);
    expect(await am({ before: new Date(Date.now() - 3_600_000) })).toEqual([]);
    expect(await am({ after: new Date(Date.now() - 3_600_000) })).toEqual([m2.id, m1.id]);
    const amBare = await svix.messageAttempt.listAttemptedMessages(app.id, ok.id, { withContent: false });
    expect(amBare.data.every((m) => JSON.stringify(m.payload) === '{}')).toBe(true);
    const a1 = await svix.messageAttempt.listAttemptedMessages(app.id, ok.id, { limit: 1 });
    const a2 = await svix.messageAttempt.listAttemptedMessages(app.id, ok.id, { limit: 1, iterator: a1.iterator });
    expect(a2.data[0]?.id).toBe(m1.id);
    const a0 = await svix.messageAttempt.listAttemptedMessages(app.id, ok.id, { limit: 1, iterator: a2.prevIterator });
    expect(a0.data[0]?.id).toBe(m2.id);
    const toBad = await svix.messageAttempt.listAttemptedMessages(app.id, bad.id);
    expect(toBad.data.map((m) => m.id)).toEqual([m2.id]);
    expect([MessageStatus.Pending, MessageStatus.Fail, MessageStatus.Sending]).toContain(toBad.data[0]?.status);

    const dests = await svix.messageAttempt.listAttemptedDestinations(app.id, m2.id);
    expect(new Set(dests.data.map((d) => d.id))).toEqual(new Set([ok.id, bad.id]));
    expect(dests.data.find((d) => d.id === ok.id)).toMatchObject({ status: MessageStatus.Success, url: receiver.url });
    const d1 = await svix.messageAttempt.listAttemptedDestinations(app.id, m2.id, { limit: 1 });
    expect(d1.data).toHaveLength(1);
    expect(d1.done).toBe(false);

    // resend: 202 with `{}` (what the client parses), and one more attempt, manual.
    const before = receiver.received.length;
    const resent = await svix.messageAttempt.resend(app.id, m1.id, ok.id);
    expect(resent).toEqual({});
    await waitFor(() => receiver.received.slice(before).some((r) => r.headers['webhook-id'] === m1.id));
    const manual = await waitFor(async () => {
      const l = await svix.messageAttempt.listByMsg(app.id, m1.id);
      return l.data.length === 2 ? l : null;
    });
    expect(manual.data[0]?.triggerType).toBe(1);
  });

  it('endpoint.recover, endpoint.replayMissing, backgroundTask.list/listByEndpoint/get', async () => {
    const app = await svix.application.create({ name: 'Tasks' });
    const since = new Date(Date.now() - 60_000);
    const m = await svix.message.create(app.id, { eventType: 'task.x', payload: { late: true } });
    // The endpoint is created after the message: replay-missing gives it the message.
    const ep = await svix.endpoint.create(app.id, { url: receiver.url });
    const before = receiver.received.length;
    const replay = await svix.endpoint.replayMissing(app.id, ep.id, { since });
    expect(replay).toMatchObject({ task: 'endpoint.replay' });
    expect(replay.id).toBeTruthy();
    await waitFor(() => receiver.received.slice(before).some((r) => r.headers['webhook-id'] === m.id));
    const recover = await svix.endpoint.recover(app.id, ep.id, { since });
    expect(recover).toMatchObject({ task: 'endpoint.recover' });

    const done = await waitFor(async () => {
      const t = await svix.backgroundTask.get(replay.id);
      return t.status === 'finished' ? t : null;
    });
    expect(done).toMatchObject({ id: replay.id, task: 'endpoint.replay' });
    const listed = await svix.backgroundTask.list({ task: 'endpoint.recover' as never, limit: 250 });
    expect(listed.data.map((t) => t.id)).toContain(recover.id);
    expect(listed.data.every((t) => t.task === 'endpoint.recover')).toBe(true);
    const viaAlias = await svix.backgroundTask.listByEndpoint({ limit: 250 });
    expect(viaAlias.data.map((t) => t.id)).toEqual(expect.arrayContaining([replay.id, recover.id]));
    const finished = await svix.backgroundTask.list({ status: 'finished' as never, limit: 250 });
    expect(finished.data.every((t) => t.status === 'finished')).toBe(true);
  });

  it('authentication: appPortalAccess gives an app-scoped token; logout and expireAll end such tokens', async () => {
    const app = await svix.application.create({ name: 'Portal' });
    const other = await svix.application.create({ name: 'Someone else' });
    const access = await svix.authentication.appPortalAccess(app.id, {});
    expect(access.url).toContain(app.id);
    const portal = new Svix(access.token, { serverUrl: server.url, numRetries: 0 });
    expect((await portal.endpoint.list(app.id)).data).toEqual([]);
    expect((await apiError(portal.endpoint.list(other.id))).code).toBe(404);
    await portal.authentication.logout();
    expect((await apiError(portal.endpoint.list(app.id))).code).toBe(401);

    const second = await svix.authentication.appPortalAccess(app.id, { expiry: 3600 });
    const third = new Svix(second.token, { serverUrl: server.url, numRetries: 0 });
    expect((await third.application.get(app.id)).id).toBe(app.id);
    await svix.authentication.expireAll(app.id, {});
    expect((await apiError(third.application.get(app.id))).code).toBe(401);
  });

  it('ingest.source: create, get, list (every type parses), update keeps Hookway types, rotateToken, delete', async () => {
    const gh = await svix.ingest.source.create({ name: 'GitHub', type: 'github', config: { secret: 'gh-secret' } });
    expect(gh).toMatchObject({ name: 'GitHub', type: 'github' });
    expect(gh.ingestUrl).toContain(`/in/${gh.id}`);
    const oa = await svix.ingest.source.create({
      name: 'OpenAI',
      type: 'open-ai',
      config: { secret: 'whsec_b3BlbmFp' },
    });
    expect(oa.type).toBe('open-ai');
    // Hookway's own types, made through the API: the client must still parse the list holding them.
    const hmacConfig = { secret: 'hmac-secret', header: 'x-sig', algorithm: 'sha256', encoding: 'hex' };
    const hmac = await api(server, 'POST', '/ingest/api/v1/source', { name: 'HMAC', type: 'hmac', config: hmacConfig });
    expect(hmac.status).toBe(201);
    expect(hmac.body).toMatchObject({ type: 'generic-webhook', hookwayType: 'hmac' });
    for (const [type, config] of [
      ['basic-auth', { username: 'u', password: 'p' }],
      ['api-key', { key: 'k', header: 'x-api-key' }],
      ['standard-webhooks', { secret: 'whsec_c3RhbmRhcmQ=' }],
      ['discord', { publicKey: 'a'.repeat(64) }],
    ] as const) {
      const res = await api(server, 'POST', '/ingest/api/v1/source', { name: type, type, config });
      expect(res.body).toMatchObject({ type: 'generic-webhook', hookwayType: type });
    }
    const list = await svix.ingest.source.list({ limit: 250 });
    expect(list.data).toHaveLength(7);
    expect(new Set(list.data.map((s) => s.type))).toEqual(new Set(['github', 'open-ai', 'generic-webhook']));
    const p1 = await svix.ingest.source.list({ limit: 3 });
    const p2 = await svix.ingest.source.list({ limit: 3, iterator: p1.iterator });
    expect((await svix.ingest.source.list({ limit: 3, iterator: p2.prevIterator })).data.map((s) => s.id)).toEqual(
      p1.data.map((s) => s.id),
    );

    // A read-modify-write through the client (type generic-webhook, empty config) keeps the HMAC source as it was.
    const got = await svix.ingest.source.get(hmac.body.id);
    expect(got.type).toBe('generic-webhook');
    expect(got.type === 'generic-webhook' && got.config).toEqual({});
    const renamed = await svix.ingest.source.update(got.id, {
      name: 'HMAC renamed',
      type: 'generic-webhook',
      config: {},
    });
    expect(renamed).toMatchObject({ name: 'HMAC renamed', type: 'generic-webhook' });
    const raw = await api(server, 'GET', `/ingest/api/v1/source/${got.id}`);
    expect(raw.body).toMatchObject({ hookwayType: 'hmac', config: { header: 'x-sig', algorithm: 'sha256' } });
    const updated = await svix.ingest.source.update(gh.id, { name: 'GitHub 2', type: 'github', config: {} });
    expect(updated).toMatchObject({ name: 'GitHub 2', type: 'github' });

    const rotated = await svix.ingest.source.rotateToken(gh.id);
    expect(rotated.ingestUrl).toBe(gh.ingestUrl);
    await svix.ingest.source.delete(oa.id);
    expect((await apiError(svix.ingest.source.get(oa.id))).code).toBe(404);
  });

  it('ingest.endpoint: create, get, list, update, headers, secret, rotation, delete', async () => {
    const src = await svix.ingest.source.create({ name: 'Src', type: 'svix', config: { secret: 'whsec_c3ZpeA==' } });
    const ep = await svix.ingest.endpoint.create(src.id, { url: receiver.url, uid: 'in-ep', description: 'first' });
    expect(ep).toMatchObject({ url: receiver.url, uid: 'in-ep', description: 'first' });
    const second = await svix.ingest.endpoint.create(src.id, { url: `${receiver.url}?2` });
    expect((await svix.ingest.endpoint.get(src.id, 'in-ep')).id).toBe(ep.id);
    const l1 = await svix.ingest.endpoint.list(src.id, { limit: 1 });
    const l2 = await svix.ingest.endpoint.list(src.id, { limit: 1, iterator: l1.iterator });
    expect(new Set([l1.data[0]?.id, l2.data[0]?.id])).toEqual(new Set([ep.id, second.id]));
    expect((await svix.ingest.endpoint.list(src.id, { limit: 1, iterator: l2.prevIterator })).data[0]?.id).toBe(
      l1.data[0]?.id,
    );
    const updated = await svix.ingest.endpoint.update(src.id, ep.id, { url: receiver.url, description: 'changed' });
    expect(updated.description).toBe('changed');
    await svix.ingest.endpoint.updateHeaders(src.id, ep.id, { headers: { 'x-in': 'yes' } });
    expect((await svix.ingest.endpoint.getHeaders(src.id, ep.id)).headers).toEqual({ 'x-in': 'yes' });
    const { key } = await svix.ingest.endpoint.getSecret(src.id, ep.id);
    expect(key).toMatch(/^whsec_/);
    await svix.ingest.endpoint.rotateSecret(src.id, ep.id, {});
    expect((await svix.ingest.endpoint.getSecret(src.id, ep.id)).key).not.toBe(key);
    await svix.ingest.endpoint.delete(src.id, second.id);
    expect((await apiError(svix.ingest.endpoint.get(src.id, second.id))).code).toBe(404);
  });

  it.each([
    ['operationalWebhook.endpoint', (s: Svix) => s.operationalWebhook.endpoint],
    ['operationalWebhookEndpoint', (s: Svix) => s.operationalWebhookEndpoint],
  ])('%s: create, get, list, update, headers, secret, rotation, delete', async (_name, resource) => {
    const ow = resource(svix);
    const ep = await ow.create({ url: receiver.url, filterTypes: ['endpoint.created'], description: 'ops' });
    expect(ep).toMatchObject({ url: receiver.url, filterTypes: ['endpoint.created'], description: 'ops' });
    expect((await ow.get(ep.id)).id).toBe(ep.id);
    expect((await ow.list()).data.map((e) => e.id)).toContain(ep.id);
    const updated = await ow.update(ep.id, { url: receiver.url, description: 'ops 2' });
    expect(updated.description).toBe('ops 2');
    await ow.updateHeaders(ep.id, { headers: { 'x-ops': '1' } });
    expect((await ow.getHeaders(ep.id)).headers).toEqual({ 'x-ops': '1' });
    const { key } = await ow.getSecret(ep.id);
    expect(key).toMatch(/^whsec_/);
    await ow.rotateSecret(ep.id, {});
    expect((await ow.getSecret(ep.id)).key).not.toBe(key);
    await ow.delete(ep.id);
    expect((await apiError(ow.get(ep.id))).code).toBe(404);
  });

  it('answers 404 not_found to every method only Svix hosted has', async () => {
    const app = await svix.application.create({ name: 'Hosted only' });
    const ep = await svix.endpoint.create(app.id, { url: receiver.url });
    const msg = await svix.message.create(app.id, { eventType: 'h.x', payload: {} });
    const src = await svix.ingest.source.create({ name: 'H', type: 'github', config: { secret: 's' } });
    const inEp = await svix.ingest.endpoint.create(src.id, { url: receiver.url });
    const s = svix as any;
    const calls: Record<string, () => Promise<unknown>> = {
      'authentication.dashboardAccess': () => s.authentication.dashboardAccess(app.id),
      'authentication.streamPortalAccess': () => s.authentication.streamPortalAccess('strm_x', {}),
      'authentication.streamLogout': () => s.authentication.streamLogout(),
      'authentication.streamExpireAll': () => s.authentication.streamExpireAll('strm_x', {}),
      'authentication.rotateStreamPollerToken': () => s.authentication.rotateStreamPollerToken('strm_x', 'sink_x', {}),
      'authentication.getStreamPollerToken': () => s.authentication.getStreamPollerToken('strm_x', 'sink_x'),
      'connector.list': () => s.connector.list(),
      'connector.create': () => s.connector.create({ name: 'c', transformation: 'x' }),
      'connector.get': () => s.connector.get('c'),
      'connector.update': () => s.connector.update('c', { transformation: 'x' }),
      'connector.delete': () => s.connector.delete('c'),
      'connector.patch': () => s.connector.patch('c', {}),
      'endpoint.bulkReplay': () => s.endpoint.bulkReplay(app.id, ep.id, { since: new Date() }),
      'environment.export': () => s.environment.export(),
      'environment.import': () => s.environment.import({}),
      'eventType.importOpenapi': () => s.eventType.importOpenapi({}),
      'ingest.dashboard': () => s.ingest.dashboard(src.id, {}),
      'ingest.endpoint.getTransformation': () => s.ingest.endpoint.getTransformation(src.id, inEp.id),
      'ingest.endpoint.setTransformation': () => s.ingest.endpoint.setTransformation(src.id, inEp.id, {}),
      'integration.list': () => s.integration.list(app.id),
      'integration.create': () => s.integration.create(app.id, { name: 'i' }),
      'integration.get': () => s.integration.get(app.id, 'i'),
      'integration.update': () => s.integration.update(app.id, 'i', { name: 'i' }),
      'integration.delete': () => s.integration.delete(app.id, 'i'),
      'integration.rotateKey': () => s.integration.rotateKey(app.id, 'i'),
      'integration.getKey': () => s.integration.getKey(app.id, 'i'),
      'message.precheck': () => s.message.precheck(app.id, { eventType: 'h.x' }),
      'message.expungeAllContents': () => s.message.expungeAllContents(app.id),
      'message.poller.poll': () => s.message.poller.poll(app.id, 'sink_x'),
      'message.poller.consumerPoll': () => s.message.poller.consumerPoll(app.id, 'sink_x', 'c'),
      'message.poller.consumerSeek': () => s.message.poller.consumerSeek(app.id, 'sink_x', 'c', { after: new Date() }),
      'messageAttempt.expungeContent': () => s.messageAttempt.expungeContent(app.id, msg.id, 'atmpt_x'),
      'statistics.aggregateEventTypes': () => s.statistics.aggregateEventTypes(),
      'statistics.aggregateAppStats': () => s.statistics.aggregateAppStats({ since: new Date(), until: new Date() }),
      'streaming.sinkTransformationGet': () => s.streaming.sinkTransformationGet('strm_x', 'sink_x'),
      'streaming.sinkHeadersGet': () => s.streaming.sinkHeadersGet('strm_x', 'sink_x'),
      'streaming.sinkHeadersPatch': () => s.streaming.sinkHeadersPatch('strm_x', 'sink_x', { headers: {} }),
      'streaming.event_type.list': () => s.streaming.event_type.list(),
      'streaming.event_type.create': () => s.streaming.event_type.create({ name: 'x' }),
      'streaming.event_type.get': () => s.streaming.event_type.get('x'),
      'streaming.event_type.update': () => s.streaming.event_type.update('x', {}),
      'streaming.event_type.delete': () => s.streaming.event_type.delete('x'),
      'streaming.event_type.patch': () => s.streaming.event_type.patch('x', {}),
      'streaming.events.get': () => s.streaming.events.get('strm_x', 'sink_x'),
      'streaming.events.create': () => s.streaming.events.create('strm_x', { events: [] }),
      'streaming.sink.list': () => s.streaming.sink.list('strm_x'),
      'streaming.sink.create': () => s.streaming.sink.create('strm_x', { type: 'poller' }),
      'streaming.sink.get': () => s.streaming.sink.get('strm_x', 'sink_x'),
      'streaming.sink.update': () => s.streaming.sink.update('strm_x', 'sink_x', { type: 'poller' }),
      'streaming.sink.delete': () => s.streaming.sink.delete('strm_x', 'sink_x'),
      'streaming.sink.patch': () => s.streaming.sink.patch('strm_x', 'sink_x', {}),
      'streaming.sink.transformationPartialUpdate': () =>
        s.streaming.sink.transformationPartialUpdate('strm_x', 'sink_x', {}),
      'streaming.sink.getSecret': () => s.streaming.sink.getSecret('strm_x', 'sink_x'),
      'streaming.sink.rotateSecret': () => s.streaming.sink.rotateSecret('strm_x', 'sink_x', {}),
      'streaming.stream.list': () => s.streaming.stream.list(),
      'streaming.stream.create': () => s.streaming.stream.create({ name: 'x' }),
      'streaming.stream.get': () => s.streaming.stream.get('strm_x'),
      'streaming.stream.update': () => s.streaming.stream.update('strm_x', { name: 'x' }),
      'streaming.stream.delete': () => s.streaming.stream.delete('strm_x'),
      'streaming.stream.patch': () => s.streaming.stream.patch('strm_x', {}),
    };
    expect(Object.keys(calls).sort()).toEqual([...UNSUPPORTED].sort());
    const wrong: string[] = [];
    for (const [name, call] of Object.entries(calls)) {
      const err = await call().then(
        () => null,
        (e: unknown) => e,
      );
      const ok =
        err instanceof ApiException &&
        err.code === 404 &&
        (err.body as { code?: string }).code === 'not_found' &&
        /^No route /.test((err.body as { detail?: string }).detail ?? '');
      if (!ok) wrong.push(`${name}: ${err instanceof ApiException ? `${err.code} ${JSON.stringify(err.body)}` : err}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('docs/migrating-from-svix.md', () => {
  it('lists every method of the svix@1 client, and marks exactly the hosted-only ones as not supported', () => {
    const doc = readFileSync(new URL('../../docs/migrating-from-svix.md', import.meta.url), 'utf8');
    const rows = new Map<string, string>();
    for (const line of doc.split('\n')) {
      const m = /^\| `([a-zA-Z_.]+)` \| (yes|no) \|/.exec(line);
      if (m?.[1] && m[2]) rows.set(m[1], m[2]);
    }
    const methods = clientMethods(new Svix('x', { serverUrl: 'http://127.0.0.1:9' }));
    expect(methods.length).toBeGreaterThan(100);
    expect(methods.filter((m) => !rows.has(m))).toEqual([]);
    expect([...rows.keys()].filter((m) => !methods.includes(m))).toEqual([]);
    expect(methods.filter((m) => rows.get(m) === 'no').sort()).toEqual([...UNSUPPORTED].sort());
  });
});
