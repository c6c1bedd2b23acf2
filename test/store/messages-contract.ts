import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/port.js';
import { createApp, createEndpoint, message, publish, T0 } from '../helpers/store-fixtures.js';
import { conflict } from './contract-helpers.js';

/** Messages: creation with their deliveries, eventId idempotency, lists. Part of the Store contract (contract.ts). */
export function messagesContract(store: () => Store): void {
  describe('messages', () => {
    it('commits a batch of messages and one delivery per endpoint in one call', async () => {
      const app = await createApp(store());
      const e1 = await createEndpoint(store(), app.id);
      const e2 = await createEndpoint(store(), app.id);
      const batch = [
        {
          message: message(app.id, { eventId: 'evt-1', channels: ['eu'], tags: ['t'] }),
          endpointIds: [e1.id, e2.id],
        },
        { message: message(app.id), endpointIds: [e1.id] },
        { message: message(app.id), endpointIds: [] },
      ];
      await store().createMessages(batch, T0 + 3);
      for (const { message: m } of batch) expect(await store().getMessage(app.id, m.id)).toEqual(m);
      expect(await store().getMessage(app.id, 'evt-1')).toEqual(batch[0]!.message);
      expect(await store().findMessageByEventId(app.id, 'evt-1')).toEqual(batch[0]!.message);
      expect(await store().findMessageByEventId(app.id, 'nope')).toBeNull();
      expect(await store().countDeliveries({})).toBe(3);
      expect(await store().countDeliveries({ status: 'pending' })).toBe(3);
      expect(await store().nextDueAt()).toBe(T0 + 3);
      await store().createMessages([], T0); // nothing to do
    });

    it('scopes messages to their app', async () => {
      const app = await createApp(store());
      const other = await createApp(store());
      const m = await publish(store(), app.id, [], { eventId: 'e' });
      expect(await store().getMessage(other.id, m.id)).toBeNull();
      expect(await store().getMessage(other.id, 'e')).toBeNull();
      // The same eventId in another app is another message.
      await publish(store(), other.id, [], { eventId: 'e' });
    });

    it('a duplicate eventId fails the whole batch with conflict', async () => {
      const app = await createApp(store());
      const ep = await createEndpoint(store(), app.id);
      await publish(store(), app.id, [ep.id], { eventId: 'dup' });
      const fresh = message(app.id, { eventId: 'fresh' });
      const dup = message(app.id, { eventId: 'dup' });
      await expect(
        store().createMessages(
          [
            { message: fresh, endpointIds: [ep.id] },
            { message: dup, endpointIds: [ep.id] },
          ],
          T0,
        ),
      ).rejects.toMatchObject(conflict);
      expect(await store().getMessage(app.id, fresh.id)).toBeNull();
      expect(await store().countDeliveries({})).toBe(1);
      // The caller retries the others one by one.
      await store().createMessages([{ message: fresh, endpointIds: [ep.id] }], T0);
      expect(await store().getMessage(app.id, 'fresh')).toEqual(fresh);
    });

    it('lists with filters and pages newest first', async () => {
      const app = await createApp(store());
      const m1 = await publish(store(), app.id, [], { eventType: 'a.created', channels: ['eu'], createdAt: T0 + 1 });
      const m2 = await publish(store(), app.id, [], { eventType: 'a.deleted', tags: ['vip'], createdAt: T0 + 2 });
      const m3 = await publish(store(), app.id, [], {
        eventType: 'b.created',
        channels: ['us', 'eu'],
        createdAt: T0 + 3,
      });
      await publish(store(), (await createApp(store())).id, [], { eventType: 'a.created' });
      const ids = async (filter: object, limit = 10) =>
        (await store().listMessages(app.id, filter, { limit })).data.map((m) => m.id);

      expect(await ids({})).toEqual([m3.id, m2.id, m1.id]);
      expect(await ids({ eventTypes: ['a.created', 'a.deleted'] })).toEqual([m2.id, m1.id]);
      expect(await ids({ eventTypes: [] })).toEqual([m3.id, m2.id, m1.id]);
      expect(await ids({ channel: 'eu' })).toEqual([m3.id, m1.id]);
      expect(await ids({ tag: 'vip' })).toEqual([m2.id]);
      expect(await ids({ before: T0 + 3 })).toEqual([m2.id, m1.id]);
      expect(await ids({ after: T0 + 1 })).toEqual([m3.id, m2.id]);
      expect(await ids({ after: T0 + 1, before: T0 + 3 })).toEqual([m2.id]);

      const p1 = await store().listMessages(app.id, {}, { limit: 2 });
      expect(p1.done).toBe(false);
      const p2 = await store().listMessages(app.id, {}, { limit: 2, iterator: p1.iterator! });
      expect(p2.data.map((m) => m.id)).toEqual([m1.id]);
      expect(p2.done).toBe(true);
    });
  });
}
