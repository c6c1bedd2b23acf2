import { describe, expect, it } from 'vitest';
import type { Endpoint } from '../../src/core/types.js';
import type { Store } from '../../src/store/port.js';
import { attemptFor, createApp, createEndpoint, publish, T0 } from '../helpers/store-fixtures.js';
import { claimedOne, LEASE, recordOne } from './contract-helpers.js';

/** The attempt log, an endpoint's messages, and prev pages. Part of the Store contract (contract.ts). */
export function attemptLogContract(store: () => Store): void {
  describe('attempt log', () => {
    it('filters by endpoint, message, status, event type, time and channel, scoped to the app', async () => {
      const app = await createApp(store());
      const e1 = await createEndpoint(store(), app.id);
      const e2 = await createEndpoint(store(), app.id);
      const m1 = await publish(store(), app.id, [e1.id, e2.id], { eventType: 'a.one', channels: ['eu'] }, T0);
      const m2 = await publish(store(), app.id, [e1.id], { eventType: 'a.two' }, T0);
      const claimed = await store().claimDeliveries(T0, 10, LEASE, []);
      const at = (msgId: string, epId: string) =>
        claimed.find((c) => c.message.id === msgId && c.endpoint.id === epId)!;
      const results = [
        { c: at(m1.id, e1.id), time: T0 + 1, status: 'succeeded' as const },
        { c: at(m1.id, e2.id), time: T0 + 2, status: 'failed' as const },
        { c: at(m2.id, e1.id), time: T0 + 3, status: 'failed' as const },
      ].map(({ c, time, status }) => ({
        attempt: attemptFor(c, time, { status }),
        deliveryId: c.delivery.id,
        update: { kind: 'retry', nextAttemptAt: T0 + 1000 } as const,
      }));
      await store().recordAttempts(results, T0 + 3);
      const [a1, a2, a3] = results.map((r) => r.attempt.id);
      const ids = async (filter: object, appId = app.id) =>
        (await store().listAttempts(appId, filter, { limit: 10 })).data.map((a) => a.id);

      expect(await ids({})).toEqual([a3, a2, a1]);
      expect(await ids({ endpointId: e1.id })).toEqual([a3, a1]);
      expect(await ids({ msgId: m1.id })).toEqual([a2, a1]);
      expect(await ids({ msgId: m1.id, endpointId: e2.id })).toEqual([a2]);
      expect(await ids({ status: 'failed' })).toEqual([a3, a2]);
      expect(await ids({ status: 'succeeded' })).toEqual([a1]);
      expect(await ids({ eventTypes: ['a.two'] })).toEqual([a3]);
      expect(await ids({ before: T0 + 3 })).toEqual([a2, a1]);
      expect(await ids({ after: T0 + 1 })).toEqual([a3, a2]);
      expect(await ids({ channel: 'eu' })).toEqual([a2, a1]);
      expect(await ids({ endpointId: e1.id }, (await createApp(store())).id)).toEqual([]);

      const p1 = await store().listAttempts(app.id, {}, { limit: 2 });
      expect(p1).toMatchObject({ done: false, iterator: a2, prevIterator: `-${a3}` });
      const p2 = await store().listAttempts(app.id, {}, { limit: 2, iterator: p1.iterator! });
      expect(p2.data.map((a) => a.id)).toEqual([a1]);
      expect(p2.done).toBe(true);
    });

    it('getAttempt is scoped to the app', async () => {
      const { app, c } = await claimedOne(store());
      const attempt = await recordOne(store(), c, { kind: 'succeeded' }, T0 + 1);
      expect(await store().getAttempt(app.id, attempt.id)).toEqual({ ...attempt, eventType: 'invoice.paid' });
      expect(await store().getAttempt((await createApp(store())).id, attempt.id)).toBeNull();
      expect(await store().getAttempt(app.id, 'atmpt_nope')).toBeNull();
    });

    it('lists the destinations of a message with their delivery status', async () => {
      const app = await createApp(store());
      const eps: Endpoint[] = [];
      for (let i = 0; i < 4; i++) eps.push(await createEndpoint(store(), app.id, { uid: `ep${i}` }));
      const [pending, sending, succeeded, failed] = eps as [Endpoint, Endpoint, Endpoint, Endpoint];
      const msg = await publish(store(), app.id, [sending.id, succeeded.id, failed.id], {}, T0);
      const claimed = await store().claimDeliveries(T0, 10, LEASE, []);
      const of = (ep: Endpoint) => claimed.find((c) => c.endpoint.id === ep.id)!;
      await recordOne(store(), of(succeeded), { kind: 'succeeded' }, T0 + 1);
      await recordOne(store(), of(failed), { kind: 'exhausted' }, T0 + 1, 'failed');
      await store().requeueDelivery(app.id, msg.id, pending.id, T0 + 7, null);

      const page = await store().listAttemptedDestinations(app.id, msg.id, { limit: 10 });
      expect(page.done).toBe(true);
      const byId = new Map(page.data.map((d) => [d.endpointId, d]));
      expect(page.data.map((d) => d.endpointId)).toEqual(eps.map((e) => e.id).reverse());
      expect(byId.get(pending.id)).toMatchObject({
        deliveryState: 'pending',
        nextAttempt: T0 + 7,
        attempts: 0,
        uid: 'ep0',
      });
      expect(byId.get(sending.id)).toMatchObject({ deliveryState: 'sending', nextAttempt: null, attempts: 0 });
      expect(byId.get(succeeded.id)).toMatchObject({ deliveryState: 'succeeded', nextAttempt: null, attempts: 1 });
      expect(byId.get(failed.id)).toMatchObject({ deliveryState: 'exhausted', nextAttempt: null, attempts: 1 });
      expect(byId.get(failed.id)).toMatchObject({
        url: failed.url,
        disabled: false,
        description: failed.description,
        channels: null,
        createdAt: T0,
        updatedAt: T0,
      });

      const p1 = await store().listAttemptedDestinations(app.id, msg.id, { limit: 3 });
      expect(p1.done).toBe(false);
      const p2 = await store().listAttemptedDestinations(app.id, msg.id, { limit: 3, iterator: p1.iterator! });
      expect(p2.data.map((d) => d.endpointId)).toEqual([pending.id]);
      expect(
        (await store().listAttemptedDestinations((await createApp(store())).id, msg.id, { limit: 10 })).data,
      ).toEqual([]);
    });
  });

  describe("an endpoint's messages and prev pages", () => {
    it("lists an endpoint's messages with each delivery's state, filtered, and pages back with prev", async () => {
      const app = await createApp(store());
      const ep = await createEndpoint(store(), app.id);
      const other = await createEndpoint(store(), app.id);
      const m1 = await publish(store(), app.id, [ep.id], { channels: ['eu'] }, T0);
      const m2 = await publish(store(), app.id, [ep.id, other.id], { eventType: 'order.created', tags: ['t'] }, T0 + 1);
      const m3 = await publish(store(), app.id, [ep.id], {}, T0 + 2);
      const claimed = await store().claimDeliveries(T0 + 10, 10, LEASE, []);
      const of = (msgId: string) => claimed.find((c) => c.endpoint.id === ep.id && c.message.id === msgId)!;
      await recordOne(store(), of(m1.id), { kind: 'succeeded' }, T0 + 11);
      await recordOne(store(), of(m2.id), { kind: 'exhausted' }, T0 + 11, 'failed');
      await store().requeueDelivery(app.id, m3.id, ep.id, T0 + 50, null);

      const all = await store().listEndpointMessages(app.id, ep.id, {}, { limit: 10 });
      expect(all.data.map((m) => m.message.id)).toEqual([m3.id, m2.id, m1.id]);
      expect(all.data.map((m) => m.status)).toEqual(['pending', 'exhausted', 'succeeded']);
      expect(all.data[0]?.nextAttempt).toBe(T0 + 50);
      expect(all.data[0]?.message.payload).toBe(m3.payload);
      const ids = async (filter: Parameters<Store['listEndpointMessages']>[2]) =>
        (await store().listEndpointMessages(app.id, ep.id, filter, { limit: 10 })).data.map((m) => m.message.id);
      expect(await ids({ status: 'succeeded' })).toEqual([m1.id]);
      expect(await ids({ eventTypes: ['order.created'] })).toEqual([m2.id]);
      expect(await ids({ channel: 'eu' })).toEqual([m1.id]);
      expect(await ids({ tag: 't' })).toEqual([m2.id]);
      expect(await ids({ before: T0 + 1 })).toEqual([m1.id]);
      expect(await ids({ after: T0 })).toEqual([m3.id, m2.id]);
      expect(
        (await store().listEndpointMessages(app.id, other.id, {}, { limit: 10 })).data.map((m) => m.message.id),
      ).toEqual([m2.id]);

      const p1 = await store().listEndpointMessages(app.id, ep.id, {}, { limit: 2 });
      expect(p1.prevIterator).toBe(`-${m3.id}`);
      const p2 = await store().listEndpointMessages(app.id, ep.id, {}, { limit: 2, iterator: p1.iterator! });
      expect(p2.data.map((m) => m.message.id)).toEqual([m1.id]);
      const back = await store().listEndpointMessages(
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
      const none = await store().listEndpointMessages(app.id, ep.id, {}, { limit: 2, iterator: m3.id, prev: true });
      expect(none).toMatchObject({ data: [], done: true });
    });

    it('walks back one page on the other lists, in either order', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await createApp(store(), { name: `prev ${i}` })).id);
      const mine = (p: { data: { id: string }[] }) => p.data.map((a) => a.id).filter((id) => ids.includes(id));
      for (const order of ['asc', 'desc'] as const) {
        const p1 = await store().listApps({ limit: 2, order });
        const p2 = await store().listApps({ limit: 2, order, iterator: p1.iterator! });
        const back = await store().listApps({ limit: 2, order, iterator: p2.prevIterator!.slice(1), prev: true });
        expect(back.data.map((a) => a.id)).toEqual(p1.data.map((a) => a.id));
        expect(mine(p1).length + mine(p2).length).toBeGreaterThan(0);
      }
    });
  });
}
