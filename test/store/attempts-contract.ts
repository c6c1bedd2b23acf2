import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/port.js';
import { attemptFor, createApp, createEndpoint, publish, T0 } from '../helpers/store-fixtures.js';
import { claimedOne, LEASE, notFound, recordOne } from './contract-helpers.js';

/** Attempts recorded with their outcome, and deliveries requeued. Part of the Store contract (contract.ts). */
export function attemptsContract(store: () => Store): void {
  describe('recording attempts', () => {
    it('succeeded: the delivery is done and the attempt is logged', async () => {
      const { app, c } = await claimedOne(store());
      const attempt = await recordOne(store(), c, { kind: 'succeeded' }, T0 + 5);
      expect(await store().countDeliveries({ status: 'succeeded' })).toBe(1);
      expect(await store().getAttempt(app.id, attempt.id)).toEqual({ ...attempt, eventType: 'invoice.paid' });
      expect(await store().claimDeliveries(T0 + 10 * LEASE, 10, LEASE, [])).toEqual([]);
      expect(await store().nextDueAt()).toBeNull();
    });

    it('retry: pending again at nextAttemptAt, lease cleared, attempt counted', async () => {
      const { c } = await claimedOne(store());
      await recordOne(store(), c, { kind: 'retry', nextAttemptAt: T0 + 5000 }, T0 + 5, 'failed');
      expect(await store().countDeliveries({ status: 'pending' })).toBe(1);
      expect(await store().nextDueAt()).toBe(T0 + 5000);
      expect(await store().claimDeliveries(T0 + 4999, 10, LEASE, [])).toEqual([]);
      const [again] = await store().claimDeliveries(T0 + 5000, 10, LEASE, []);
      expect(again?.delivery).toMatchObject({ id: c.delivery.id, attempts: 1, nextAttemptAt: T0 + 5000 });
    });

    it('exhausted: the delivery stops; gone also disables the endpoint', async () => {
      const { app, ep, c } = await claimedOne(store());
      await recordOne(store(), c, { kind: 'exhausted' }, T0 + 5, 'failed');
      expect(await store().countDeliveries({ status: 'exhausted' })).toBe(1);
      expect((await store().getEndpoint(app.id, ep.id))?.disabled).toBe(false);

      await publish(store(), app.id, [ep.id], {}, T0 + 6);
      const [c2] = await store().claimDeliveries(T0 + 6, 10, LEASE, []);
      await recordOne(store(), c2!, { kind: 'gone' }, T0 + 7, 'failed');
      expect(await store().countDeliveries({ status: 'exhausted' })).toBe(2);
      expect((await store().getEndpoint(app.id, ep.id))?.disabled).toBe(true);
    });

    it('records a batch of results in one call', async () => {
      const app = await createApp(store());
      const ep = await createEndpoint(store(), app.id);
      for (let i = 0; i < 3; i++) await publish(store(), app.id, [ep.id]);
      const claimed = await store().claimDeliveries(T0, 10, LEASE, []);
      await store().recordAttempts(
        claimed.map((c) => ({
          attempt: attemptFor(c, T0 + 1),
          deliveryId: c.delivery.id,
          update: { kind: 'succeeded' },
        })),
        T0 + 1,
      );
      expect(await store().countDeliveries({ status: 'succeeded' })).toBe(3);
      expect((await store().listAttempts(app.id, {}, { limit: 10 })).data).toHaveLength(3);
      await store().recordAttempts([], T0);
    });
  });

  describe('requeue', () => {
    it('queues a manual attempt that remembers its parent, then resets to scheduled', async () => {
      const { app, ep, c } = await claimedOne(store());
      const first = await recordOne(store(), c, { kind: 'exhausted' }, T0 + 5, 'failed');
      const d = await store().requeueDelivery(app.id, c.message.id, ep.id, T0 + 100, first.id);
      expect(d).toMatchObject({
        id: c.delivery.id,
        status: 'pending',
        nextAttemptAt: T0 + 100,
        attempts: 1,
        leaseUntil: null,
      });

      const [manual] = await store().claimDeliveries(T0 + 100, 10, LEASE, []);
      expect(manual).toMatchObject({ triggerType: 1, parentAttemptId: first.id });
      await recordOne(store(), manual!, { kind: 'retry', nextAttemptAt: T0 + 200 }, T0 + 101, 'failed');
      const [scheduled] = await store().claimDeliveries(T0 + 200, 10, LEASE, []);
      expect(scheduled).toMatchObject({ triggerType: 0, parentAttemptId: null });
      expect(scheduled?.delivery.attempts).toBe(2);
    });

    it('creates the delivery when the endpoint never had one', async () => {
      const app = await createApp(store());
      const ep = await createEndpoint(store(), app.id);
      const msg = await publish(store(), app.id, []);
      const d = await store().requeueDelivery(app.id, msg.id, ep.id, T0 + 1, null);
      expect(d).toMatchObject({ msgId: msg.id, endpointId: ep.id, appId: app.id, status: 'pending', attempts: 0 });
      const [c] = await store().claimDeliveries(T0 + 1, 10, LEASE, []);
      expect(c).toMatchObject({ triggerType: 1, parentAttemptId: null });
    });

    it('is not_found for a message or endpoint of another app', async () => {
      const app = await createApp(store());
      const other = await createApp(store());
      const ep = await createEndpoint(store(), app.id);
      const foreignEp = await createEndpoint(store(), other.id);
      const msg = await publish(store(), app.id, []);
      await expect(store().requeueDelivery(other.id, msg.id, ep.id, T0, null)).rejects.toMatchObject(notFound);
      await expect(store().requeueDelivery(app.id, msg.id, foreignEp.id, T0, null)).rejects.toMatchObject(notFound);
      await expect(store().requeueDelivery(app.id, 'msg_nope', ep.id, T0, null)).rejects.toMatchObject(notFound);
    });
  });
}
