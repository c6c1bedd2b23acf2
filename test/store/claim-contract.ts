import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/port.js';
import { createApp, createEndpoint, message, publish, secret, T0 } from '../helpers/store-fixtures.js';
import { claimedOne, LEASE } from './contract-helpers.js';

/** Claiming: due deliveries leased in one statement, fairly across endpoints. Part of the Store contract (contract.ts). */
export function claimContract(store: () => Store): void {
  describe('claiming', () => {
    it('claims due deliveries with their message and endpoint, and leases them', async () => {
      const { app, ep, c } = await claimedOne(store());
      expect(c.delivery).toMatchObject({ appId: app.id, endpointId: ep.id, status: 'sending', attempts: 0 });
      expect(c.delivery.leaseUntil).toBe(T0 + LEASE);
      expect(c.message.appId).toBe(app.id);
      expect(c.endpoint).toEqual(ep);
      expect(c.triggerType).toBe(0);
      expect(c.parentAttemptId).toBeNull();
      expect(await store().countDeliveries({ status: 'sending' })).toBe(1);
    });

    it('does not claim a delivery before it is due', async () => {
      const app = await createApp(store());
      const ep = await createEndpoint(store(), app.id);
      await publish(store(), app.id, [ep.id], {}, T0);
      expect(await store().claimDeliveries(T0 - 1, 10, LEASE, [])).toEqual([]);
      expect(await store().claimDeliveries(T0, 10, LEASE, [])).toHaveLength(1);
    });

    it('does not claim a leased delivery again until its lease expires', async () => {
      const { c } = await claimedOne(store());
      expect(await store().claimDeliveries(T0, 10, LEASE, [])).toEqual([]);
      expect(await store().claimDeliveries(T0 + LEASE, 10, LEASE, [])).toEqual([]);
      const [again] = await store().claimDeliveries(T0 + LEASE + 1, 10, LEASE, []);
      expect(again?.delivery.id).toBe(c.delivery.id);
      expect(again?.delivery.leaseUntil).toBe(T0 + 2 * LEASE + 1);
    });

    it('honours limit, due order and skipEndpointIds', async () => {
      const app = await createApp(store());
      const e1 = await createEndpoint(store(), app.id);
      const e2 = await createEndpoint(store(), app.id);
      const late = await publish(store(), app.id, [e1.id], {}, T0 + 2);
      const early = await publish(store(), app.id, [e1.id], {}, T0 + 1);
      const other = await publish(store(), app.id, [e2.id], {}, T0 + 3);

      const skipped = await store().claimDeliveries(T0 + 10, 10, LEASE, [e1.id]);
      expect(skipped.map((c) => c.message.id)).toEqual([other.id]);
      const first = await store().claimDeliveries(T0 + 10, 1, LEASE, []);
      expect(first.map((c) => c.message.id)).toEqual([early.id]);
      const rest = await store().claimDeliveries(T0 + 10, 10, LEASE, []);
      expect(rest.map((c) => c.message.id)).toEqual([late.id]);
      expect(await store().claimDeliveries(T0 + 10, 0, LEASE, [])).toEqual([]);
    });

    it("caps each endpoint at perEndpoint and reaches work behind a skipped endpoint's backlog", async () => {
      const app = await createApp(store());
      const busy = await createEndpoint(store(), app.id);
      const quiet = await createEndpoint(store(), app.id);
      // The busy endpoint's backlog is older than the quiet endpoint's one delivery.
      await store().createMessages(
        Array.from({ length: 30 }, () => ({ message: message(app.id), endpointIds: [busy.id] })),
        T0,
      );
      const behind = await publish(store(), app.id, [quiet.id], {}, T0 + 5);
      const got = await store().claimDeliveries(T0 + 10, 10, LEASE, [busy.id]);
      expect(got.map((c) => c.message.id)).toEqual([behind.id]);
      const capped = await store().claimDeliveries(T0 + 10, 10, LEASE, [], 4);
      expect(capped).toHaveLength(4);
      expect(new Set(capped.map((c) => c.endpoint.id))).toEqual(new Set([busy.id]));
    });

    it('creates deliveries leased to this node when asked, and claims never take them while leased', async () => {
      const app = await createApp(store());
      const e1 = await createEndpoint(store(), app.id);
      const e2 = await createEndpoint(store(), app.id);
      const m = message(app.id);
      const leasedId = `dlv_leased_${Math.random().toString(36).slice(2)}`;
      const created = await store().createMessages(
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
      expect(await store().countDeliveries({ status: 'sending' })).toBe(1);
      expect(await store().countDeliveries({ status: 'pending' })).toBe(1);
      // Only the pending one is claimable; the leased one comes back only once its lease ran out.
      const now = await store().claimDeliveries(T0 + 1, 10, LEASE, []);
      expect(now.map((c) => c.endpoint.id)).toEqual([e2.id]);
      const [expired] = await store().claimDeliveries(T0 + LEASE + 1, 10, LEASE, []);
      expect(expired?.delivery.id).toBe(leasedId);
      expect(expired?.delivery.attempts).toBe(0);
    });

    it('leaves deliveries of disabled endpoints pending, and not due', async () => {
      const app = await createApp(store());
      const ep = await createEndpoint(store(), app.id, { disabled: true });
      await publish(store(), app.id, [ep.id]);
      expect(await store().claimDeliveries(T0 + 10, 10, LEASE, [])).toEqual([]);
      expect(await store().countDeliveries({ status: 'pending' })).toBe(1);
      expect(await store().nextDueAt()).toBeNull();

      const { createdAt: _c, updatedAt: _u, ...input } = ep;
      await store().updateEndpoint({ ...input, disabled: false }, T0 + 20);
      expect(await store().nextDueAt()).toBe(T0);
      expect(await store().claimDeliveries(T0 + 20, 10, LEASE, [])).toHaveLength(1);
    });

    it('hands the sender live secrets only, the current one first', async () => {
      const app = await createApp(store());
      const current = secret();
      const grace = secret();
      const expired = secret();
      await createEndpoint(store(), app.id, {
        secrets: [
          { key: expired, expiresAt: T0 - 1 },
          { key: grace, expiresAt: T0 + 1000 },
          { key: current, expiresAt: null },
        ],
      }).then((ep) => publish(store(), app.id, [ep.id]));
      const [c] = await store().claimDeliveries(T0, 10, LEASE, []);
      expect(c?.endpoint.secrets).toEqual([
        { key: current, expiresAt: null },
        { key: grace, expiresAt: T0 + 1000 },
      ]);
    });

    it('releaseDeliveries puts claimed deliveries back as they were', async () => {
      const { c } = await claimedOne(store());
      await store().releaseDeliveries([c.delivery.id]);
      expect(await store().countDeliveries({ status: 'pending' })).toBe(1);
      const [again] = await store().claimDeliveries(T0, 10, LEASE, []);
      expect(again?.delivery).toMatchObject({ id: c.delivery.id, attempts: 0, nextAttemptAt: T0 });
      await store().releaseDeliveries([]);
    });

    it('nextDueAt is the earliest pending due time, and countDeliveries counts by status', async () => {
      expect(await store().nextDueAt()).toBeNull();
      expect(await store().countDeliveries({})).toBe(0);
      const app = await createApp(store());
      const ep = await createEndpoint(store(), app.id);
      await publish(store(), app.id, [ep.id], {}, T0 + 50);
      await publish(store(), app.id, [ep.id], {}, T0 + 20);
      expect(await store().nextDueAt()).toBe(T0 + 20);
      await store().claimDeliveries(T0 + 20, 1, LEASE, []);
      expect(await store().nextDueAt()).toBe(T0 + 50);
      expect(await store().countDeliveries({ status: 'pending' })).toBe(1);
      expect(await store().countDeliveries({ status: 'sending' })).toBe(1);
      expect(await store().countDeliveries({})).toBe(2);
    });
  });
}
