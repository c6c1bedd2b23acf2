import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/port.js';
import { createApp, createEndpoint, message, T0 } from '../helpers/store-fixtures.js';

/**
 * Payload filters in the Store contract (called from contract.ts so every
 * adapter runs it): an endpoint's filter is stored and read back, and a
 * filter error recorded with a message shows in its delivery list.
 */
export function filterContract(store: () => Store): void {
  describe('payload filters', () => {
    it('stores, updates and clears an endpoint filter; endpoints created without one have none', async () => {
      const s = store();
      const app = await createApp(s);
      const plain = await createEndpoint(s, app.id);
      expect(plain.filter).toBeNull();
      const ep = await createEndpoint(s, app.id, { filter: 'payload.amount >= 1000' });
      expect(ep.filter).toBe('payload.amount >= 1000');
      expect((await s.getEndpoint(app.id, ep.id))?.filter).toBe('payload.amount >= 1000');
      expect((await s.activeEndpoints(app.id)).find((e) => e.id === ep.id)?.filter).toBe('payload.amount >= 1000');
      const changed = await s.updateEndpoint({ ...ep, filter: 'eventType == "a"' }, T0 + 1);
      expect(changed.filter).toBe('eventType == "a"');
      expect((await s.updateEndpoint({ ...changed, filter: null }, T0 + 2)).filter).toBeNull();
    });

    it('lists an endpoint a filter error kept from the message, with the error, beside real deliveries', async () => {
      const s = store();
      const app = await createApp(s);
      const delivered = await createEndpoint(s, app.id);
      const broken = await createEndpoint(s, app.id, { filter: 'payload.missing > 1' });
      const msg = message(app.id);
      await s.createMessages(
        [
          {
            message: msg,
            endpointIds: [delivered.id],
            filterErrors: [{ endpointId: broken.id, error: 'No such key: missing' }],
          },
        ],
        T0,
      );
      const page = await s.listAttemptedDestinations(app.id, msg.id, { limit: 10, order: 'asc' });
      expect(page.data.map((d) => d.endpointId)).toEqual([delivered.id, broken.id]);
      expect(page.data[0]).toMatchObject({ deliveryState: 'pending', filterError: null });
      expect(page.data[1]).toMatchObject({
        deliveryState: 'filtered',
        filterError: 'No such key: missing',
        attempts: 0,
        nextAttempt: null,
      });
      // Paging walks both kinds of rows in one endpoint-id order.
      const p1 = await s.listAttemptedDestinations(app.id, msg.id, { limit: 1, order: 'asc' });
      const p2 = await s.listAttemptedDestinations(app.id, msg.id, { limit: 1, order: 'asc', iterator: p1.iterator! });
      expect([...p1.data, ...p2.data].map((d) => d.endpointId)).toEqual([delivered.id, broken.id]);
      expect(p2.done).toBe(true);
      // No delivery was created for the filtered endpoint.
      const claimed = await s.claimDeliveries(T0, 10, 30_000, []);
      expect(claimed.map((c) => c.endpoint.id)).toEqual([delivered.id]);
      // Another application sees nothing of it.
      expect((await s.listAttemptedDestinations((await createApp(s)).id, msg.id, { limit: 10 })).data).toEqual([]);
    });

    it('a manual resend to a filtered endpoint replaces the filter row with the delivery', async () => {
      const s = store();
      const app = await createApp(s);
      const ep = await createEndpoint(s, app.id, { filter: 'payload.x' });
      const msg = message(app.id);
      await s.createMessages(
        [{ message: msg, endpointIds: [], filterErrors: [{ endpointId: ep.id, error: 'boom' }] }],
        T0,
      );
      await s.requeueDelivery(app.id, msg.id, ep.id, T0 + 5, null);
      const page = await s.listAttemptedDestinations(app.id, msg.id, { limit: 10 });
      expect(page.data).toHaveLength(1);
      expect(page.data[0]).toMatchObject({
        endpointId: ep.id,
        deliveryState: 'pending',
        filterError: null,
        nextAttempt: T0 + 5,
      });
    });

    it('drops a filter error of an endpoint deleted before commit, and with the endpoint later', async () => {
      const s = store();
      const app = await createApp(s);
      const gone = await createEndpoint(s, app.id);
      const kept = await createEndpoint(s, app.id);
      await s.deleteEndpoint(app.id, gone.id);
      const msg = message(app.id);
      await s.createMessages(
        [
          {
            message: msg,
            endpointIds: [],
            filterErrors: [
              { endpointId: gone.id, error: 'x' },
              { endpointId: kept.id, error: 'y' },
            ],
          },
        ],
        T0,
      );
      expect((await s.listAttemptedDestinations(app.id, msg.id, { limit: 10 })).data.map((d) => d.filterError)).toEqual(
        ['y'],
      );
      await s.deleteEndpoint(app.id, kept.id);
      expect((await s.listAttemptedDestinations(app.id, msg.id, { limit: 10 })).data).toEqual([]);
    });
  });
}
