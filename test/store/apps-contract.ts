import { describe, expect, it } from 'vitest';
import { newId } from '../../src/core/ids.js';
import type { Application } from '../../src/core/types.js';
import type { Store } from '../../src/store/port.js';
import { createApp, createEndpoint, publish, T0 } from '../helpers/store-fixtures.js';
import { claimedOne, conflict, notFound, recordOne } from './contract-helpers.js';

/** Applications: create, read by id or uid, update, delete, list pages. Part of the Store contract (contract.ts). */
export function appsContract(store: () => Store): void {
  describe('applications', () => {
    it('creates and reads by id or uid', async () => {
      const app = await createApp(store(), { uid: 'acme', name: 'Acme', rateLimit: 10, metadata: { tier: 'gold' } });
      expect(app).toMatchObject({ uid: 'acme', name: 'Acme', rateLimit: 10, metadata: { tier: 'gold' } });
      expect(app.createdAt).toBe(T0);
      expect(app.updatedAt).toBe(T0);
      expect(await store().getApp(app.id)).toEqual(app);
      expect(await store().getApp('acme')).toEqual(app);
      expect(await store().getApp('nope')).toBeNull();
    });

    it('refuses a duplicate uid or id with conflict', async () => {
      const app = await createApp(store(), { uid: 'acme' });
      await expect(createApp(store(), { uid: 'acme' })).rejects.toMatchObject(conflict);
      await expect(createApp(store(), { id: app.id })).rejects.toMatchObject(conflict);
      // Many apps may have no uid.
      await createApp(store(), { uid: null });
      await createApp(store(), { uid: null });
    });

    it('updates, keeping createdAt; unknown id is not_found; taken uid is conflict', async () => {
      const app = await createApp(store(), { uid: 'a' });
      await createApp(store(), { uid: 'b' });
      const updated = await store().updateApp({ ...app, name: 'Renamed', metadata: { k: 'v' } }, T0 + 5);
      expect(updated).toMatchObject({ id: app.id, name: 'Renamed', metadata: { k: 'v' } });
      expect(updated.createdAt).toBe(T0);
      expect(updated.updatedAt).toBe(T0 + 5);
      expect(await store().getApp(app.id)).toEqual(updated);
      await expect(store().updateApp({ ...app, id: newId('app') }, T0)).rejects.toMatchObject(notFound);
      await expect(store().updateApp({ ...app, uid: 'b' }, T0)).rejects.toMatchObject(conflict);
    });

    it('pages newest first by default, with iterators and done', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await createApp(store(), { name: `app ${i}` })).id);
      const newest = [...ids].reverse();

      const p1 = await store().listApps({ limit: 2 });
      expect(p1.data.map((a) => a.id)).toEqual(newest.slice(0, 2));
      expect(p1).toMatchObject({ done: false, iterator: newest[1], prevIterator: `-${newest[0]}` });
      const p2 = await store().listApps({ limit: 2, iterator: p1.iterator! });
      expect(p2.data.map((a) => a.id)).toEqual(newest.slice(2, 4));
      expect(p2.done).toBe(false);
      const p3 = await store().listApps({ limit: 2, iterator: p2.iterator! });
      expect(p3.data.map((a) => a.id)).toEqual(newest.slice(4));
      expect(p3).toMatchObject({ done: true, iterator: newest[4], prevIterator: `-${newest[4]}` });

      const asc = await store().listApps({ limit: 3, order: 'asc' });
      expect(asc.data.map((a) => a.id)).toEqual(ids.slice(0, 3));
      const asc2 = await store().listApps({ limit: 3, order: 'asc', iterator: asc.iterator! });
      expect(asc2.data.map((a) => a.id)).toEqual(ids.slice(3));
      expect(asc2.done).toBe(true);

      // Exactly `limit` rows left: done, since the extra row is not there.
      expect((await store().listApps({ limit: 5 })).done).toBe(true);
    });

    it('treats any iterator as a plain bound and an empty list as done', async () => {
      expect(await store().listApps({ limit: 10 })).toEqual({
        data: [],
        iterator: null,
        prevIterator: null,
        done: true,
      });
      await createApp(store());
      for (const iterator of ['garbage', "'; DROP TABLE applications; --", '\u0000', 'zzzzzzzz', '']) {
        await expect(store().listApps({ limit: 10, iterator })).resolves.toMatchObject({ done: true });
      }
      expect((await store().listApps({ limit: 10, iterator: 'zzzzzzzz' })).data).toHaveLength(1);
      expect((await store().listApps({ limit: 10, iterator: 'app_' })).data).toHaveLength(0);
    });

    it('deleting an app deletes its endpoints, messages, deliveries and attempts', async () => {
      const { app, ep, c } = await claimedOne(store());
      const attempt = await recordOne(store(), c, { kind: 'succeeded' }, T0 + 1);
      const other = await claimedOneOther();
      await store().deleteApp(app.id);
      expect(await store().getApp(app.id)).toBeNull();
      expect(await store().getEndpoint(app.id, ep.id)).toBeNull();
      expect(await store().getMessage(app.id, c.message.id)).toBeNull();
      expect(await store().getAttempt(app.id, attempt.id)).toBeNull();
      // Only the other app's delivery is left.
      expect(await store().countDeliveries({})).toBe(1);
      expect(await store().getApp(other.id)).not.toBeNull();
      await store().deleteApp(app.id); // deleting again is a no-op
    });

    async function claimedOneOther(): Promise<Application> {
      const app = await createApp(store());
      const ep = await createEndpoint(store(), app.id);
      await publish(store(), app.id, [ep.id]);
      return app;
    }
  });
}
