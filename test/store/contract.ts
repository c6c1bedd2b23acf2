import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../../src/core/ids.js';
import type { Application, Endpoint } from '../../src/core/types.js';
import type { ApiKey, ClaimedDelivery, DeliveryUpdate, Store } from '../../src/store/port.js';
import { attemptFor, createApp, createEndpoint, message, publish, secret, T0 } from '../helpers/store-fixtures.js';
import { fifoContract } from './fifo-contract.js';
import { filterContract } from './filter-contract.js';
import { inboundContract } from './inbound-contract.js';
import { opsContract } from './ops-contract.js';
import { traceContract } from './trace-contract.js';

/**
 * The Store contract: every adapter runs this same suite (BullMQ's habit of
 * rerunning one suite per backend). `open` returns a store on an empty
 * database, migrated or not: the suite calls `migrate()` itself. `cleanup`
 * runs after each test, once the store is closed.
 *
 * All times are explicit, so nothing here depends on the clock or on timing.
 */
export function storeContract(name: string, open: () => Promise<Store>, cleanup?: () => Promise<void>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;

    beforeEach(async () => {
      store = await open();
      await store.migrate();
    });

    afterEach(async () => {
      await store.close();
      await cleanup?.();
    });

    const LEASE = 30_000;
    const conflict = { code: 'conflict' };
    const notFound = { code: 'not_found' };

    /** An app with one endpoint and one published message, claimed at T0. */
    async function claimedOne(): Promise<{ app: Application; ep: Endpoint; c: ClaimedDelivery }> {
      const app = await createApp(store);
      const ep = await createEndpoint(store, app.id);
      await publish(store, app.id, [ep.id]);
      const [c] = await store.claimDeliveries(T0, 10, LEASE, []);
      if (!c) throw new Error('nothing claimed');
      return { app, ep, c };
    }

    async function recordOne(c: ClaimedDelivery, update: DeliveryUpdate, at: number, status: 0 | 2 = 0) {
      const attempt = attemptFor(c, at, { status, responseStatusCode: status === 0 ? 200 : 500 });
      await store.recordAttempts([{ attempt, deliveryId: c.delivery.id, update }], at);
      return attempt;
    }

    describe('migrations', () => {
      it('names its dialect', () => {
        expect(['sqlite', 'postgres']).toContain(store.dialect);
      });

      it('migrate() is idempotent: once applied, calling it again applies nothing', async () => {
        expect(await store.migrate()).toEqual({ applied: [] });
        expect(await store.migrate()).toEqual({ applied: [] });
      });
    });

    describe('applications', () => {
      it('creates and reads by id or uid', async () => {
        const app = await createApp(store, { uid: 'acme', name: 'Acme', rateLimit: 10, metadata: { tier: 'gold' } });
        expect(app).toMatchObject({ uid: 'acme', name: 'Acme', rateLimit: 10, metadata: { tier: 'gold' } });
        expect(app.createdAt).toBe(T0);
        expect(app.updatedAt).toBe(T0);
        expect(await store.getApp(app.id)).toEqual(app);
        expect(await store.getApp('acme')).toEqual(app);
        expect(await store.getApp('nope')).toBeNull();
      });

      it('refuses a duplicate uid or id with conflict', async () => {
        const app = await createApp(store, { uid: 'acme' });
        await expect(createApp(store, { uid: 'acme' })).rejects.toMatchObject(conflict);
        await expect(createApp(store, { id: app.id })).rejects.toMatchObject(conflict);
        // Many apps may have no uid.
        await createApp(store, { uid: null });
        await createApp(store, { uid: null });
      });

      it('updates, keeping createdAt; unknown id is not_found; taken uid is conflict', async () => {
        const app = await createApp(store, { uid: 'a' });
        await createApp(store, { uid: 'b' });
        const updated = await store.updateApp({ ...app, name: 'Renamed', metadata: { k: 'v' } }, T0 + 5);
        expect(updated).toMatchObject({ id: app.id, name: 'Renamed', metadata: { k: 'v' } });
        expect(updated.createdAt).toBe(T0);
        expect(updated.updatedAt).toBe(T0 + 5);
        expect(await store.getApp(app.id)).toEqual(updated);
        await expect(store.updateApp({ ...app, id: newId('app') }, T0)).rejects.toMatchObject(notFound);
        await expect(store.updateApp({ ...app, uid: 'b' }, T0)).rejects.toMatchObject(conflict);
      });

      it('pages newest first by default, with iterators and done', async () => {
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) ids.push((await createApp(store, { name: `app ${i}` })).id);
        const newest = [...ids].reverse();

        const p1 = await store.listApps({ limit: 2 });
        expect(p1.data.map((a) => a.id)).toEqual(newest.slice(0, 2));
        expect(p1).toMatchObject({ done: false, iterator: newest[1], prevIterator: `-${newest[0]}` });
        const p2 = await store.listApps({ limit: 2, iterator: p1.iterator! });
        expect(p2.data.map((a) => a.id)).toEqual(newest.slice(2, 4));
        expect(p2.done).toBe(false);
        const p3 = await store.listApps({ limit: 2, iterator: p2.iterator! });
        expect(p3.data.map((a) => a.id)).toEqual(newest.slice(4));
        expect(p3).toMatchObject({ done: true, iterator: newest[4], prevIterator: `-${newest[4]}` });

        const asc = await store.listApps({ limit: 3, order: 'asc' });
        expect(asc.data.map((a) => a.id)).toEqual(ids.slice(0, 3));
        const asc2 = await store.listApps({ limit: 3, order: 'asc', iterator: asc.iterator! });
        expect(asc2.data.map((a) => a.id)).toEqual(ids.slice(3));
        expect(asc2.done).toBe(true);

        // Exactly `limit` rows left: done, since the extra row is not there.
        expect((await store.listApps({ limit: 5 })).done).toBe(true);
      });

      it('treats any iterator as a plain bound and an empty list as done', async () => {
        expect(await store.listApps({ limit: 10 })).toEqual({
          data: [],
          iterator: null,
          prevIterator: null,
          done: true,
        });
        await createApp(store);
        for (const iterator of ['garbage', "'; DROP TABLE applications; --", '\u0000', 'zzzzzzzz', '']) {
          await expect(store.listApps({ limit: 10, iterator })).resolves.toMatchObject({ done: true });
        }
        expect((await store.listApps({ limit: 10, iterator: 'zzzzzzzz' })).data).toHaveLength(1);
        expect((await store.listApps({ limit: 10, iterator: 'app_' })).data).toHaveLength(0);
      });

      it('deleting an app deletes its endpoints, messages, deliveries and attempts', async () => {
        const { app, ep, c } = await claimedOne();
        const attempt = await recordOne(c, { kind: 'succeeded' }, T0 + 1);
        const other = await claimedOneOther();
        await store.deleteApp(app.id);
        expect(await store.getApp(app.id)).toBeNull();
        expect(await store.getEndpoint(app.id, ep.id)).toBeNull();
        expect(await store.getMessage(app.id, c.message.id)).toBeNull();
        expect(await store.getAttempt(app.id, attempt.id)).toBeNull();
        // Only the other app's delivery is left.
        expect(await store.countDeliveries({})).toBe(1);
        expect(await store.getApp(other.id)).not.toBeNull();
        await store.deleteApp(app.id); // deleting again is a no-op
      });

      async function claimedOneOther(): Promise<Application> {
        const app = await createApp(store);
        const ep = await createEndpoint(store, app.id);
        await publish(store, app.id, [ep.id]);
        return app;
      }
    });

    describe('event types', () => {
      const et = (name: string, over: object = {}) => ({
        name,
        description: `about ${name}`,
        schemas: null,
        archived: false,
        deprecated: false,
        featureFlag: null,
        groupName: null,
        ...over,
      });

      it('creates, reads, updates and deletes', async () => {
        const schemas = { '1': { type: 'object', properties: { amount: { type: 'number' } } } };
        const created = await store.createEventType(et('invoice.paid', { schemas, groupName: 'billing' }), T0);
        expect(created).toMatchObject({ name: 'invoice.paid', schemas, groupName: 'billing', archived: false });
        expect(created.createdAt).toBe(T0);
        expect(await store.getEventType('invoice.paid')).toEqual(created);
        expect(await store.getEventType('nope')).toBeNull();

        const updated = await store.updateEventType(
          et('invoice.paid', { archived: true, deprecated: true, featureFlag: 'beta', description: 'x' }),
          T0 + 1,
        );
        expect(updated).toMatchObject({ archived: true, deprecated: true, featureFlag: 'beta', description: 'x' });
        expect(updated.createdAt).toBe(T0);
        expect(updated.updatedAt).toBe(T0 + 1);
        await expect(store.updateEventType(et('nope'), T0)).rejects.toMatchObject(notFound);

        await store.deleteEventType('invoice.paid');
        expect(await store.getEventType('invoice.paid')).toBeNull();
      });

      it('refuses a duplicate name with conflict', async () => {
        await store.createEventType(et('a.b'), T0);
        await expect(store.createEventType(et('a.b'), T0)).rejects.toMatchObject(conflict);
      });

      it('pages by name ascending and hides archived ones unless asked', async () => {
        for (const n of ['c.x', 'a.x', 'd.x', 'b.x']) await store.createEventType(et(n, { archived: n === 'b.x' }), T0);
        const p1 = await store.listEventTypes({ limit: 2 }, { includeArchived: false });
        expect(p1.data.map((e) => e.name)).toEqual(['a.x', 'c.x']);
        expect(p1).toMatchObject({ done: false, iterator: 'c.x', prevIterator: '-a.x' });
        const p2 = await store.listEventTypes({ limit: 2, iterator: p1.iterator! }, { includeArchived: false });
        expect(p2.data.map((e) => e.name)).toEqual(['d.x']);
        expect(p2.done).toBe(true);
        const all = await store.listEventTypes({ limit: 10 }, { includeArchived: true });
        expect(all.data.map((e) => e.name)).toEqual(['a.x', 'b.x', 'c.x', 'd.x']);
      });
    });

    describe('endpoints', () => {
      it('creates and reads by id or uid within its app, with plaintext secrets', async () => {
        const app = await createApp(store);
        const other = await createApp(store);
        const key = secret();
        const ep = await createEndpoint(store, app.id, {
          uid: 'main',
          description: 'd',
          filterTypes: ['invoice.*'],
          channels: ['eu'],
          rateLimit: 5,
          metadata: { a: 'b' },
          headers: { 'x-env': 'test' },
          secrets: [{ key, expiresAt: null }],
          timeoutMs: 1000,
          retrySchedule: [1, 2],
          format: 'slack',
          transformation: 'function handler(w) { return w }',
        });
        expect(ep).toMatchObject({
          appId: app.id,
          uid: 'main',
          version: 1,
          filterTypes: ['invoice.*'],
          channels: ['eu'],
          disabled: false,
          rateLimit: 5,
          metadata: { a: 'b' },
          headers: { 'x-env': 'test' },
          secrets: [{ key, expiresAt: null }],
          timeoutMs: 1000,
          retrySchedule: [1, 2],
          format: 'slack',
          transformation: 'function handler(w) { return w }',
          createdAt: T0,
          updatedAt: T0,
        });
        expect(await store.getEndpoint(app.id, ep.id)).toEqual(ep);
        expect(await store.getEndpoint(app.id, 'main')).toEqual(ep);
        expect(await store.getEndpoint(other.id, ep.id)).toBeNull();
        expect(await store.getEndpoint(other.id, 'main')).toBeNull();
      });

      it('keeps a broker URL credential apart: read back whole, updated, cleared; claims see it whole', async () => {
        const app = await createApp(store);
        const url = 'amqp://orders:s3cr%40t@broker.example:5672/prod?exchange=orders&routingKey=paid';
        // With a payload filter too: both columns sit side by side in every write.
        const filter = 'payload.amount > 1';
        const ep = await createEndpoint(store, app.id, { url, filter });
        expect(ep).toMatchObject({ url, filter });
        expect(await store.getEndpoint(app.id, ep.id)).toMatchObject({ url, filter });
        await publish(store, app.id, [ep.id]);
        const [c] = await store.claimDeliveries(T0, 10, LEASE, []);
        expect(c?.endpoint.url).toBe(url);
        const token = 'nats://t0ken@broker.example:4222?subject=a.b';
        expect(await store.updateEndpoint({ ...ep, url: token }, T0 + 1)).toMatchObject({ url: token, filter });
        expect(await store.getEndpoint(app.id, ep.id)).toMatchObject({ url: token, filter });
        const plain = 'redis://broker.example:6379/0?stream=s';
        const changed = await store.updateEndpoint({ ...ep, url: plain, filter: 'eventType == "a"' }, T0 + 2);
        expect(changed).toMatchObject({ url: plain, filter: 'eventType == "a"' });
        expect((await store.listEndpoints(app.id, { limit: 10 })).data[0]).toMatchObject({
          url: plain,
          filter: 'eventType == "a"',
        });
      });

      it('refuses a uid taken in the same app, allows it in another', async () => {
        const app = await createApp(store);
        const other = await createApp(store);
        await createEndpoint(store, app.id, { uid: 'main' });
        await expect(createEndpoint(store, app.id, { uid: 'main' })).rejects.toMatchObject(conflict);
        await createEndpoint(store, other.id, { uid: 'main' });
        await createEndpoint(store, app.id, { uid: null });
        await createEndpoint(store, app.id, { uid: null });
      });

      it('updates (version kept unless given, secrets rotated), lists, deletes', async () => {
        const app = await createApp(store);
        const ep = await createEndpoint(store, app.id, { version: 3 });
        expect(ep.version).toBe(3);
        const rotated = [
          { key: secret(), expiresAt: null },
          { key: ep.secrets[0]!.key, expiresAt: T0 + 86_400_000 },
        ];
        const { createdAt: _c, updatedAt: _u, version: _v, ...input } = ep;
        const updated = await store.updateEndpoint(
          { ...input, url: 'https://example.org/x', secrets: rotated },
          T0 + 9,
        );
        expect(updated).toMatchObject({ url: 'https://example.org/x', version: 3, secrets: rotated });
        expect(updated.createdAt).toBe(T0);
        expect(updated.updatedAt).toBe(T0 + 9);
        expect((await store.updateEndpoint({ ...input, version: 4 }, T0 + 10)).version).toBe(4);
        await expect(store.updateEndpoint({ ...input, id: newId('ep') }, T0)).rejects.toMatchObject(notFound);

        const second = await createEndpoint(store, app.id);
        const page = await store.listEndpoints(app.id, { limit: 1 });
        expect(page.data.map((e) => e.id)).toEqual([second.id]);
        expect(page.done).toBe(false);
        const page2 = await store.listEndpoints(app.id, { limit: 1, iterator: page.iterator! });
        expect(page2.data.map((e) => e.id)).toEqual([ep.id]);
        expect(page2.done).toBe(true);

        await store.deleteEndpoint(app.id, second.id);
        expect(await store.getEndpoint(app.id, second.id)).toBeNull();
        expect((await store.listEndpoints(app.id, { limit: 10 })).data).toHaveLength(1);
      });

      it('activeEndpoints lists the enabled endpoints of one app', async () => {
        const app = await createApp(store);
        const other = await createApp(store);
        const a = await createEndpoint(store, app.id);
        await createEndpoint(store, app.id, { disabled: true });
        const c = await createEndpoint(store, app.id);
        await createEndpoint(store, other.id);
        expect((await store.activeEndpoints(app.id)).map((e) => e.id).sort()).toEqual([a.id, c.id].sort());
      });
    });

    describe('messages', () => {
      it('commits a batch of messages and one delivery per endpoint in one call', async () => {
        const app = await createApp(store);
        const e1 = await createEndpoint(store, app.id);
        const e2 = await createEndpoint(store, app.id);
        const batch = [
          {
            message: message(app.id, { eventId: 'evt-1', channels: ['eu'], tags: ['t'] }),
            endpointIds: [e1.id, e2.id],
          },
          { message: message(app.id), endpointIds: [e1.id] },
          { message: message(app.id), endpointIds: [] },
        ];
        await store.createMessages(batch, T0 + 3);
        for (const { message: m } of batch) expect(await store.getMessage(app.id, m.id)).toEqual(m);
        expect(await store.getMessage(app.id, 'evt-1')).toEqual(batch[0]!.message);
        expect(await store.findMessageByEventId(app.id, 'evt-1')).toEqual(batch[0]!.message);
        expect(await store.findMessageByEventId(app.id, 'nope')).toBeNull();
        expect(await store.countDeliveries({})).toBe(3);
        expect(await store.countDeliveries({ status: 0 })).toBe(3);
        expect(await store.nextDueAt()).toBe(T0 + 3);
        await store.createMessages([], T0); // nothing to do
      });

      it('scopes messages to their app', async () => {
        const app = await createApp(store);
        const other = await createApp(store);
        const m = await publish(store, app.id, [], { eventId: 'e' });
        expect(await store.getMessage(other.id, m.id)).toBeNull();
        expect(await store.getMessage(other.id, 'e')).toBeNull();
        // The same eventId in another app is another message.
        await publish(store, other.id, [], { eventId: 'e' });
      });

      it('a duplicate eventId fails the whole batch with conflict', async () => {
        const app = await createApp(store);
        const ep = await createEndpoint(store, app.id);
        await publish(store, app.id, [ep.id], { eventId: 'dup' });
        const fresh = message(app.id, { eventId: 'fresh' });
        const dup = message(app.id, { eventId: 'dup' });
        await expect(
          store.createMessages(
            [
              { message: fresh, endpointIds: [ep.id] },
              { message: dup, endpointIds: [ep.id] },
            ],
            T0,
          ),
        ).rejects.toMatchObject(conflict);
        expect(await store.getMessage(app.id, fresh.id)).toBeNull();
        expect(await store.countDeliveries({})).toBe(1);
        // The caller retries the others one by one.
        await store.createMessages([{ message: fresh, endpointIds: [ep.id] }], T0);
        expect(await store.getMessage(app.id, 'fresh')).toEqual(fresh);
      });

      it('lists with filters and pages newest first', async () => {
        const app = await createApp(store);
        const m1 = await publish(store, app.id, [], { eventType: 'a.created', channels: ['eu'], createdAt: T0 + 1 });
        const m2 = await publish(store, app.id, [], { eventType: 'a.deleted', tags: ['vip'], createdAt: T0 + 2 });
        const m3 = await publish(store, app.id, [], {
          eventType: 'b.created',
          channels: ['us', 'eu'],
          createdAt: T0 + 3,
        });
        await publish(store, (await createApp(store)).id, [], { eventType: 'a.created' });
        const ids = async (filter: object, limit = 10) =>
          (await store.listMessages(app.id, filter, { limit })).data.map((m) => m.id);

        expect(await ids({})).toEqual([m3.id, m2.id, m1.id]);
        expect(await ids({ eventTypes: ['a.created', 'a.deleted'] })).toEqual([m2.id, m1.id]);
        expect(await ids({ eventTypes: [] })).toEqual([m3.id, m2.id, m1.id]);
        expect(await ids({ channel: 'eu' })).toEqual([m3.id, m1.id]);
        expect(await ids({ tag: 'vip' })).toEqual([m2.id]);
        expect(await ids({ before: T0 + 3 })).toEqual([m2.id, m1.id]);
        expect(await ids({ after: T0 + 1 })).toEqual([m3.id, m2.id]);
        expect(await ids({ after: T0 + 1, before: T0 + 3 })).toEqual([m2.id]);

        const p1 = await store.listMessages(app.id, {}, { limit: 2 });
        expect(p1.done).toBe(false);
        const p2 = await store.listMessages(app.id, {}, { limit: 2, iterator: p1.iterator! });
        expect(p2.data.map((m) => m.id)).toEqual([m1.id]);
        expect(p2.done).toBe(true);
      });
    });

    describe('claiming', () => {
      it('claims due deliveries with their message and endpoint, and leases them', async () => {
        const { app, ep, c } = await claimedOne();
        expect(c.delivery).toMatchObject({ appId: app.id, endpointId: ep.id, status: 1, attempts: 0 });
        expect(c.delivery.leaseUntil).toBe(T0 + LEASE);
        expect(c.message.appId).toBe(app.id);
        expect(c.endpoint).toEqual(ep);
        expect(c.triggerType).toBe(0);
        expect(c.parentAttemptId).toBeNull();
        expect(await store.countDeliveries({ status: 1 })).toBe(1);
      });

      it('does not claim a delivery before it is due', async () => {
        const app = await createApp(store);
        const ep = await createEndpoint(store, app.id);
        await publish(store, app.id, [ep.id], {}, T0);
        expect(await store.claimDeliveries(T0 - 1, 10, LEASE, [])).toEqual([]);
        expect(await store.claimDeliveries(T0, 10, LEASE, [])).toHaveLength(1);
      });

      it('does not claim a leased delivery again until its lease expires', async () => {
        const { c } = await claimedOne();
        expect(await store.claimDeliveries(T0, 10, LEASE, [])).toEqual([]);
        expect(await store.claimDeliveries(T0 + LEASE, 10, LEASE, [])).toEqual([]);
        const [again] = await store.claimDeliveries(T0 + LEASE + 1, 10, LEASE, []);
        expect(again?.delivery.id).toBe(c.delivery.id);
        expect(again?.delivery.leaseUntil).toBe(T0 + 2 * LEASE + 1);
      });

      it('honours limit, due order and skipEndpointIds', async () => {
        const app = await createApp(store);
        const e1 = await createEndpoint(store, app.id);
        const e2 = await createEndpoint(store, app.id);
        const late = await publish(store, app.id, [e1.id], {}, T0 + 2);
        const early = await publish(store, app.id, [e1.id], {}, T0 + 1);
        const other = await publish(store, app.id, [e2.id], {}, T0 + 3);

        const skipped = await store.claimDeliveries(T0 + 10, 10, LEASE, [e1.id]);
        expect(skipped.map((c) => c.message.id)).toEqual([other.id]);
        const first = await store.claimDeliveries(T0 + 10, 1, LEASE, []);
        expect(first.map((c) => c.message.id)).toEqual([early.id]);
        const rest = await store.claimDeliveries(T0 + 10, 10, LEASE, []);
        expect(rest.map((c) => c.message.id)).toEqual([late.id]);
        expect(await store.claimDeliveries(T0 + 10, 0, LEASE, [])).toEqual([]);
      });

      it("caps each endpoint at perEndpoint and reaches work behind a skipped endpoint's backlog", async () => {
        const app = await createApp(store);
        const busy = await createEndpoint(store, app.id);
        const quiet = await createEndpoint(store, app.id);
        // The busy endpoint's backlog is older than the quiet endpoint's one delivery.
        await store.createMessages(
          Array.from({ length: 30 }, () => ({ message: message(app.id), endpointIds: [busy.id] })),
          T0,
        );
        const behind = await publish(store, app.id, [quiet.id], {}, T0 + 5);
        const got = await store.claimDeliveries(T0 + 10, 10, LEASE, [busy.id]);
        expect(got.map((c) => c.message.id)).toEqual([behind.id]);
        const capped = await store.claimDeliveries(T0 + 10, 10, LEASE, [], 4);
        expect(capped).toHaveLength(4);
        expect(new Set(capped.map((c) => c.endpoint.id))).toEqual(new Set([busy.id]));
      });

      it('creates deliveries leased to this node when asked, and claims never take them while leased', async () => {
        const app = await createApp(store);
        const e1 = await createEndpoint(store, app.id);
        const e2 = await createEndpoint(store, app.id);
        const m = message(app.id);
        const leasedId = `dlv_leased_${Math.random().toString(36).slice(2)}`;
        const created = await store.createMessages(
          [
            {
              message: m,
              endpointIds: [e1.id, e2.id],
              leased: { ids: new Map([[e1.id, leasedId]]), until: T0 + LEASE },
            },
          ],
          T0,
        );
        expect([...created]).toEqual([leasedId]);
        expect(await store.countDeliveries({ status: 1 })).toBe(1);
        expect(await store.countDeliveries({ status: 0 })).toBe(1);
        // Only the pending one is claimable; the leased one comes back only once its lease ran out.
        const now = await store.claimDeliveries(T0 + 1, 10, LEASE, []);
        expect(now.map((c) => c.endpoint.id)).toEqual([e2.id]);
        const [expired] = await store.claimDeliveries(T0 + LEASE + 1, 10, LEASE, []);
        expect(expired?.delivery.id).toBe(leasedId);
        expect(expired?.delivery.attempts).toBe(0);
      });

      it('leaves deliveries of disabled endpoints pending, and not due', async () => {
        const app = await createApp(store);
        const ep = await createEndpoint(store, app.id, { disabled: true });
        await publish(store, app.id, [ep.id]);
        expect(await store.claimDeliveries(T0 + 10, 10, LEASE, [])).toEqual([]);
        expect(await store.countDeliveries({ status: 0 })).toBe(1);
        expect(await store.nextDueAt()).toBeNull();

        const { createdAt: _c, updatedAt: _u, ...input } = ep;
        await store.updateEndpoint({ ...input, disabled: false }, T0 + 20);
        expect(await store.nextDueAt()).toBe(T0);
        expect(await store.claimDeliveries(T0 + 20, 10, LEASE, [])).toHaveLength(1);
      });

      it('hands the sender live secrets only, the current one first', async () => {
        const app = await createApp(store);
        const current = secret();
        const grace = secret();
        const expired = secret();
        await createEndpoint(store, app.id, {
          secrets: [
            { key: expired, expiresAt: T0 - 1 },
            { key: grace, expiresAt: T0 + 1000 },
            { key: current, expiresAt: null },
          ],
        }).then((ep) => publish(store, app.id, [ep.id]));
        const [c] = await store.claimDeliveries(T0, 10, LEASE, []);
        expect(c?.endpoint.secrets).toEqual([
          { key: current, expiresAt: null },
          { key: grace, expiresAt: T0 + 1000 },
        ]);
      });

      it('releaseDeliveries puts claimed deliveries back as they were', async () => {
        const { c } = await claimedOne();
        await store.releaseDeliveries([c.delivery.id]);
        expect(await store.countDeliveries({ status: 0 })).toBe(1);
        const [again] = await store.claimDeliveries(T0, 10, LEASE, []);
        expect(again?.delivery).toMatchObject({ id: c.delivery.id, attempts: 0, nextAttemptAt: T0 });
        await store.releaseDeliveries([]);
      });

      it('nextDueAt is the earliest pending due time, and countDeliveries counts by status', async () => {
        expect(await store.nextDueAt()).toBeNull();
        expect(await store.countDeliveries({})).toBe(0);
        const app = await createApp(store);
        const ep = await createEndpoint(store, app.id);
        await publish(store, app.id, [ep.id], {}, T0 + 50);
        await publish(store, app.id, [ep.id], {}, T0 + 20);
        expect(await store.nextDueAt()).toBe(T0 + 20);
        await store.claimDeliveries(T0 + 20, 1, LEASE, []);
        expect(await store.nextDueAt()).toBe(T0 + 50);
        expect(await store.countDeliveries({ status: 0 })).toBe(1);
        expect(await store.countDeliveries({ status: 1 })).toBe(1);
        expect(await store.countDeliveries({})).toBe(2);
      });
    });

    describe('recording attempts', () => {
      it('succeeded: the delivery is done and the attempt is logged', async () => {
        const { app, c } = await claimedOne();
        const attempt = await recordOne(c, { kind: 'succeeded' }, T0 + 5);
        expect(await store.countDeliveries({ status: 2 })).toBe(1);
        expect(await store.getAttempt(app.id, attempt.id)).toEqual({ ...attempt, eventType: 'invoice.paid' });
        expect(await store.claimDeliveries(T0 + 10 * LEASE, 10, LEASE, [])).toEqual([]);
        expect(await store.nextDueAt()).toBeNull();
      });

      it('retry: pending again at nextAttemptAt, lease cleared, attempt counted', async () => {
        const { c } = await claimedOne();
        await recordOne(c, { kind: 'retry', nextAttemptAt: T0 + 5000 }, T0 + 5, 2);
        expect(await store.countDeliveries({ status: 0 })).toBe(1);
        expect(await store.nextDueAt()).toBe(T0 + 5000);
        expect(await store.claimDeliveries(T0 + 4999, 10, LEASE, [])).toEqual([]);
        const [again] = await store.claimDeliveries(T0 + 5000, 10, LEASE, []);
        expect(again?.delivery).toMatchObject({ id: c.delivery.id, attempts: 1, nextAttemptAt: T0 + 5000 });
      });

      it('failed: the delivery stops; failed_and_disable also disables the endpoint', async () => {
        const { app, ep, c } = await claimedOne();
        await recordOne(c, { kind: 'failed' }, T0 + 5, 2);
        expect(await store.countDeliveries({ status: 3 })).toBe(1);
        expect((await store.getEndpoint(app.id, ep.id))?.disabled).toBe(false);

        await publish(store, app.id, [ep.id], {}, T0 + 6);
        const [c2] = await store.claimDeliveries(T0 + 6, 10, LEASE, []);
        await recordOne(c2!, { kind: 'failed_and_disable' }, T0 + 7, 2);
        expect(await store.countDeliveries({ status: 3 })).toBe(2);
        expect((await store.getEndpoint(app.id, ep.id))?.disabled).toBe(true);
      });

      it('records a batch of results in one call', async () => {
        const app = await createApp(store);
        const ep = await createEndpoint(store, app.id);
        for (let i = 0; i < 3; i++) await publish(store, app.id, [ep.id]);
        const claimed = await store.claimDeliveries(T0, 10, LEASE, []);
        await store.recordAttempts(
          claimed.map((c) => ({
            attempt: attemptFor(c, T0 + 1),
            deliveryId: c.delivery.id,
            update: { kind: 'succeeded' },
          })),
          T0 + 1,
        );
        expect(await store.countDeliveries({ status: 2 })).toBe(3);
        expect((await store.listAttempts(app.id, {}, { limit: 10 })).data).toHaveLength(3);
        await store.recordAttempts([], T0);
      });
    });

    describe('requeue', () => {
      it('queues a manual attempt that remembers its parent, then resets to scheduled', async () => {
        const { app, ep, c } = await claimedOne();
        const first = await recordOne(c, { kind: 'failed' }, T0 + 5, 2);
        const d = await store.requeueDelivery(app.id, c.message.id, ep.id, T0 + 100, first.id);
        expect(d).toMatchObject({
          id: c.delivery.id,
          status: 0,
          nextAttemptAt: T0 + 100,
          attempts: 1,
          leaseUntil: null,
        });

        const [manual] = await store.claimDeliveries(T0 + 100, 10, LEASE, []);
        expect(manual).toMatchObject({ triggerType: 1, parentAttemptId: first.id });
        await recordOne(manual!, { kind: 'retry', nextAttemptAt: T0 + 200 }, T0 + 101, 2);
        const [scheduled] = await store.claimDeliveries(T0 + 200, 10, LEASE, []);
        expect(scheduled).toMatchObject({ triggerType: 0, parentAttemptId: null });
        expect(scheduled?.delivery.attempts).toBe(2);
      });

      it('creates the delivery when the endpoint never had one', async () => {
        const app = await createApp(store);
        const ep = await createEndpoint(store, app.id);
        const msg = await publish(store, app.id, []);
        const d = await store.requeueDelivery(app.id, msg.id, ep.id, T0 + 1, null);
        expect(d).toMatchObject({ msgId: msg.id, endpointId: ep.id, appId: app.id, status: 0, attempts: 0 });
        const [c] = await store.claimDeliveries(T0 + 1, 10, LEASE, []);
        expect(c).toMatchObject({ triggerType: 1, parentAttemptId: null });
      });

      it('is not_found for a message or endpoint of another app', async () => {
        const app = await createApp(store);
        const other = await createApp(store);
        const ep = await createEndpoint(store, app.id);
        const foreignEp = await createEndpoint(store, other.id);
        const msg = await publish(store, app.id, []);
        await expect(store.requeueDelivery(other.id, msg.id, ep.id, T0, null)).rejects.toMatchObject(notFound);
        await expect(store.requeueDelivery(app.id, msg.id, foreignEp.id, T0, null)).rejects.toMatchObject(notFound);
        await expect(store.requeueDelivery(app.id, 'msg_nope', ep.id, T0, null)).rejects.toMatchObject(notFound);
      });
    });

    describe('attempt log', () => {
      it('filters by endpoint, message, status, event type, time and channel, scoped to the app', async () => {
        const app = await createApp(store);
        const e1 = await createEndpoint(store, app.id);
        const e2 = await createEndpoint(store, app.id);
        const m1 = await publish(store, app.id, [e1.id, e2.id], { eventType: 'a.one', channels: ['eu'] }, T0);
        const m2 = await publish(store, app.id, [e1.id], { eventType: 'a.two' }, T0);
        const claimed = await store.claimDeliveries(T0, 10, LEASE, []);
        const at = (msgId: string, epId: string) =>
          claimed.find((c) => c.message.id === msgId && c.endpoint.id === epId)!;
        const results = [
          { c: at(m1.id, e1.id), time: T0 + 1, status: 0 as const },
          { c: at(m1.id, e2.id), time: T0 + 2, status: 2 as const },
          { c: at(m2.id, e1.id), time: T0 + 3, status: 2 as const },
        ].map(({ c, time, status }) => ({
          attempt: attemptFor(c, time, { status }),
          deliveryId: c.delivery.id,
          update: { kind: 'retry', nextAttemptAt: T0 + 1000 } as const,
        }));
        await store.recordAttempts(results, T0 + 3);
        const [a1, a2, a3] = results.map((r) => r.attempt.id);
        const ids = async (filter: object, appId = app.id) =>
          (await store.listAttempts(appId, filter, { limit: 10 })).data.map((a) => a.id);

        expect(await ids({})).toEqual([a3, a2, a1]);
        expect(await ids({ endpointId: e1.id })).toEqual([a3, a1]);
        expect(await ids({ msgId: m1.id })).toEqual([a2, a1]);
        expect(await ids({ msgId: m1.id, endpointId: e2.id })).toEqual([a2]);
        expect(await ids({ status: 2 })).toEqual([a3, a2]);
        expect(await ids({ eventTypes: ['a.two'] })).toEqual([a3]);
        expect(await ids({ before: T0 + 3 })).toEqual([a2, a1]);
        expect(await ids({ after: T0 + 1 })).toEqual([a3, a2]);
        expect(await ids({ channel: 'eu' })).toEqual([a2, a1]);
        expect(await ids({ endpointId: e1.id }, (await createApp(store)).id)).toEqual([]);

        const p1 = await store.listAttempts(app.id, {}, { limit: 2 });
        expect(p1).toMatchObject({ done: false, iterator: a2, prevIterator: `-${a3}` });
        const p2 = await store.listAttempts(app.id, {}, { limit: 2, iterator: p1.iterator! });
        expect(p2.data.map((a) => a.id)).toEqual([a1]);
        expect(p2.done).toBe(true);
      });

      it('getAttempt is scoped to the app', async () => {
        const { app, c } = await claimedOne();
        const attempt = await recordOne(c, { kind: 'succeeded' }, T0 + 1);
        expect(await store.getAttempt(app.id, attempt.id)).toEqual({ ...attempt, eventType: 'invoice.paid' });
        expect(await store.getAttempt((await createApp(store)).id, attempt.id)).toBeNull();
        expect(await store.getAttempt(app.id, 'atmpt_nope')).toBeNull();
      });

      it('lists the destinations of a message with their delivery status', async () => {
        const app = await createApp(store);
        const eps: Endpoint[] = [];
        for (let i = 0; i < 4; i++) eps.push(await createEndpoint(store, app.id, { uid: `ep${i}` }));
        const [pending, sending, succeeded, failed] = eps as [Endpoint, Endpoint, Endpoint, Endpoint];
        const msg = await publish(store, app.id, [sending.id, succeeded.id, failed.id], {}, T0);
        const claimed = await store.claimDeliveries(T0, 10, LEASE, []);
        const of = (ep: Endpoint) => claimed.find((c) => c.endpoint.id === ep.id)!;
        await recordOne(of(succeeded), { kind: 'succeeded' }, T0 + 1);
        await recordOne(of(failed), { kind: 'failed' }, T0 + 1, 2);
        await store.requeueDelivery(app.id, msg.id, pending.id, T0 + 7, null);

        const page = await store.listAttemptedDestinations(app.id, msg.id, { limit: 10 });
        expect(page.done).toBe(true);
        const byId = new Map(page.data.map((d) => [d.endpointId, d]));
        expect(page.data.map((d) => d.endpointId)).toEqual(eps.map((e) => e.id).reverse());
        expect(byId.get(pending.id)).toMatchObject({ status: 1, nextAttempt: T0 + 7, attempts: 0, uid: 'ep0' });
        expect(byId.get(sending.id)).toMatchObject({ status: 3, nextAttempt: null, attempts: 0 });
        expect(byId.get(succeeded.id)).toMatchObject({ status: 0, nextAttempt: null, attempts: 1 });
        expect(byId.get(failed.id)).toMatchObject({ status: 2, nextAttempt: null, attempts: 1 });
        expect(byId.get(failed.id)).toMatchObject({
          url: failed.url,
          disabled: false,
          description: failed.description,
          channels: null,
          createdAt: T0,
          updatedAt: T0,
        });

        const p1 = await store.listAttemptedDestinations(app.id, msg.id, { limit: 3 });
        expect(p1.done).toBe(false);
        const p2 = await store.listAttemptedDestinations(app.id, msg.id, { limit: 3, iterator: p1.iterator! });
        expect(p2.data.map((d) => d.endpointId)).toEqual([pending.id]);
        expect(
          (await store.listAttemptedDestinations((await createApp(store)).id, msg.id, { limit: 10 })).data,
        ).toEqual([]);
      });
    });

    describe("an endpoint's messages and prev pages", () => {
      it("lists an endpoint's messages with each delivery's state, filtered, and pages back with prev", async () => {
        const app = await createApp(store);
        const ep = await createEndpoint(store, app.id);
        const other = await createEndpoint(store, app.id);
        const m1 = await publish(store, app.id, [ep.id], { channels: ['eu'] }, T0);
        const m2 = await publish(store, app.id, [ep.id, other.id], { eventType: 'order.created', tags: ['t'] }, T0 + 1);
        const m3 = await publish(store, app.id, [ep.id], {}, T0 + 2);
        const claimed = await store.claimDeliveries(T0 + 10, 10, LEASE, []);
        const of = (msgId: string) => claimed.find((c) => c.endpoint.id === ep.id && c.message.id === msgId)!;
        await recordOne(of(m1.id), { kind: 'succeeded' }, T0 + 11);
        await recordOne(of(m2.id), { kind: 'failed' }, T0 + 11, 2);
        await store.requeueDelivery(app.id, m3.id, ep.id, T0 + 50, null);

        const all = await store.listEndpointMessages(app.id, ep.id, {}, { limit: 10 });
        expect(all.data.map((m) => m.message.id)).toEqual([m3.id, m2.id, m1.id]);
        expect(all.data.map((m) => m.status)).toEqual([1, 2, 0]);
        expect(all.data[0]?.nextAttempt).toBe(T0 + 50);
        expect(all.data[0]?.message.payload).toBe(m3.payload);
        const ids = async (filter: Parameters<Store['listEndpointMessages']>[2]) =>
          (await store.listEndpointMessages(app.id, ep.id, filter, { limit: 10 })).data.map((m) => m.message.id);
        expect(await ids({ status: 0 })).toEqual([m1.id]);
        expect(await ids({ eventTypes: ['order.created'] })).toEqual([m2.id]);
        expect(await ids({ channel: 'eu' })).toEqual([m1.id]);
        expect(await ids({ tag: 't' })).toEqual([m2.id]);
        expect(await ids({ before: T0 + 1 })).toEqual([m1.id]);
        expect(await ids({ after: T0 })).toEqual([m3.id, m2.id]);
        expect(
          (await store.listEndpointMessages(app.id, other.id, {}, { limit: 10 })).data.map((m) => m.message.id),
        ).toEqual([m2.id]);

        const p1 = await store.listEndpointMessages(app.id, ep.id, {}, { limit: 2 });
        expect(p1.prevIterator).toBe(`-${m3.id}`);
        const p2 = await store.listEndpointMessages(app.id, ep.id, {}, { limit: 2, iterator: p1.iterator! });
        expect(p2.data.map((m) => m.message.id)).toEqual([m1.id]);
        const back = await store.listEndpointMessages(
          app.id,
          ep.id,
          {},
          {
            limit: 2,
            iterator: p2.prevIterator!.slice(1),
            prev: true,
          },
        );
        expect(back.data.map((m) => m.message.id)).toEqual([m3.id, m2.id]);
        // Walking back from the first page finds nothing before it.
        const none = await store.listEndpointMessages(app.id, ep.id, {}, { limit: 2, iterator: m3.id, prev: true });
        expect(none).toMatchObject({ data: [], done: true });
      });

      it('walks back one page on the other lists, in either order', async () => {
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) ids.push((await createApp(store, { name: `prev ${i}` })).id);
        const mine = (p: { data: { id: string }[] }) => p.data.map((a) => a.id).filter((id) => ids.includes(id));
        for (const order of ['asc', 'desc'] as const) {
          const p1 = await store.listApps({ limit: 2, order });
          const p2 = await store.listApps({ limit: 2, order, iterator: p1.iterator! });
          const back = await store.listApps({ limit: 2, order, iterator: p2.prevIterator!.slice(1), prev: true });
          expect(back.data.map((a) => a.id)).toEqual(p1.data.map((a) => a.id));
          expect(mine(p1).length + mine(p2).length).toBeGreaterThan(0);
        }
      });
    });

    describe('idempotency', () => {
      it('returns a saved answer until it expires, and a later save replaces it', async () => {
        expect(await store.getIdempotent('k', T0)).toBeNull();
        await store.saveIdempotent('k', { statusCode: 202, body: '{"id":"msg_1"}' }, T0 + 1000);
        expect(await store.getIdempotent('k', T0)).toEqual({ statusCode: 202, body: '{"id":"msg_1"}' });
        expect(await store.getIdempotent('k', T0 + 999)).not.toBeNull();
        expect(await store.getIdempotent('k', T0 + 1000)).toBeNull();
        await store.saveIdempotent('k', { statusCode: 200, body: '{}' }, T0 + 5000);
        expect(await store.getIdempotent('k', T0 + 1000)).toEqual({ statusCode: 200, body: '{}' });
      });
    });

    describe('api keys and settings', () => {
      const key = (over: Partial<ApiKey> = {}): ApiKey => ({
        id: newId('key'),
        name: 'ci',
        prefix: 'hw_abc',
        hash: `hash-${newId('key')}`,
        scopes: ['app:read', 'msg:write'],
        createdAt: T0,
        lastUsedAt: null,
        expiresAt: T0 + 1000,
        revokedAt: null,
        ...over,
      });

      it('creates, finds by hash, lists, touches and revokes', async () => {
        const k1 = key();
        const k2 = key({ name: 'admin', expiresAt: null });
        await store.createApiKey(k1);
        await store.createApiKey(k2);
        expect(await store.findApiKeyByHash(k1.hash)).toEqual(k1);
        expect(await store.findApiKeyByHash('nope')).toBeNull();
        expect((await store.listApiKeys()).map((k) => k.id)).toEqual([k1.id, k2.id]);

        await store.touchApiKey(k1.id, T0 + 5);
        expect((await store.findApiKeyByHash(k1.hash))?.lastUsedAt).toBe(T0 + 5);
        await store.revokeApiKey(k1.id, T0 + 6);
        await store.revokeApiKey(k1.id, T0 + 7);
        expect((await store.findApiKeyByHash(k1.hash))?.revokedAt).toBe(T0 + 6);
        expect((await store.findApiKeyByHash(k2.hash))?.revokedAt).toBeNull();
      });

      it('refuses a duplicate hash with conflict', async () => {
        const k = key();
        await store.createApiKey(k);
        await expect(store.createApiKey(key({ hash: k.hash }))).rejects.toMatchObject(conflict);
      });

      it('gets and sets settings', async () => {
        expect(await store.getSetting('admin')).toBeNull();
        await store.setSetting('admin', 'one');
        await store.setSetting('admin', 'two');
        expect(await store.getSetting('admin')).toBe('two');
      });
    });

    inboundContract(() => store);
    opsContract(() => store);
    filterContract(() => store);
    fifoContract(() => store);
    traceContract(() => store);

    describe('wake', () => {
      it('onWake returns an unsubscribe function', () => {
        const off = store.onWake(() => {});
        expect(typeof off).toBe('function');
        off();
      });
    });
  });
}
