import { describe, expect, it } from 'vitest';
import { newId } from '../../src/core/ids.js';
import type { Store } from '../../src/store/port.js';
import { createApp, createEndpoint, publish, secret, T0 } from '../helpers/store-fixtures.js';
import { conflict, LEASE, notFound } from './contract-helpers.js';

/** Endpoints: create, update, secrets, the fan-out set. Part of the Store contract (contract.ts). */
export function endpointsContract(store: () => Store): void {
  describe('endpoints', () => {
    it('creates and reads by id or uid within its app, with plaintext secrets', async () => {
      const app = await createApp(store());
      const other = await createApp(store());
      const key = secret();
      const ep = await createEndpoint(store(), app.id, {
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
      expect(await store().getEndpoint(app.id, ep.id)).toEqual(ep);
      expect(await store().getEndpoint(app.id, 'main')).toEqual(ep);
      expect(await store().getEndpoint(other.id, ep.id)).toBeNull();
      expect(await store().getEndpoint(other.id, 'main')).toBeNull();
    });

    it('keeps a broker URL credential apart: read back whole, updated, cleared; claims see it whole', async () => {
      const app = await createApp(store());
      const url = 'amqp://orders:s3cr%40t@broker.example:5672/prod?exchange=orders&routingKey=paid';
      // With a payload filter too: both columns sit side by side in every write.
      const filter = 'payload.amount > 1';
      const ep = await createEndpoint(store(), app.id, { url, filter });
      expect(ep).toMatchObject({ url, filter });
      expect(await store().getEndpoint(app.id, ep.id)).toMatchObject({ url, filter });
      await publish(store(), app.id, [ep.id]);
      const [c] = await store().claimDeliveries(T0, 10, LEASE, []);
      expect(c?.endpoint.url).toBe(url);
      const token = 'nats://t0ken@broker.example:4222?subject=a.b';
      expect(await store().updateEndpoint({ ...ep, url: token }, T0 + 1)).toMatchObject({ url: token, filter });
      expect(await store().getEndpoint(app.id, ep.id)).toMatchObject({ url: token, filter });
      const plain = 'redis://broker.example:6379/0?stream=s';
      const changed = await store().updateEndpoint({ ...ep, url: plain, filter: 'eventType == "a"' }, T0 + 2);
      expect(changed).toMatchObject({ url: plain, filter: 'eventType == "a"' });
      expect((await store().listEndpoints(app.id, { limit: 10 })).data[0]).toMatchObject({
        url: plain,
        filter: 'eventType == "a"',
      });
    });

    it('refuses a uid taken in the same app, allows it in another', async () => {
      const app = await createApp(store());
      const other = await createApp(store());
      await createEndpoint(store(), app.id, { uid: 'main' });
      await expect(createEndpoint(store(), app.id, { uid: 'main' })).rejects.toMatchObject(conflict);
      await createEndpoint(store(), other.id, { uid: 'main' });
      await createEndpoint(store(), app.id, { uid: null });
      await createEndpoint(store(), app.id, { uid: null });
    });

    it('updates (version kept unless given, secrets rotated), lists, deletes', async () => {
      const app = await createApp(store());
      const ep = await createEndpoint(store(), app.id, { version: 3 });
      expect(ep.version).toBe(3);
      const rotated = [
        { key: secret(), expiresAt: null },
        { key: ep.secrets[0]!.key, expiresAt: T0 + 86_400_000 },
      ];
      const { createdAt: _c, updatedAt: _u, version: _v, ...input } = ep;
      const updated = await store().updateEndpoint(
        { ...input, url: 'https://example.org/x', secrets: rotated },
        T0 + 9,
      );
      expect(updated).toMatchObject({ url: 'https://example.org/x', version: 3, secrets: rotated });
      expect(updated.createdAt).toBe(T0);
      expect(updated.updatedAt).toBe(T0 + 9);
      expect((await store().updateEndpoint({ ...input, version: 4 }, T0 + 10)).version).toBe(4);
      await expect(store().updateEndpoint({ ...input, id: newId('ep') }, T0)).rejects.toMatchObject(notFound);

      const second = await createEndpoint(store(), app.id);
      const page = await store().listEndpoints(app.id, { limit: 1 });
      expect(page.data.map((e) => e.id)).toEqual([second.id]);
      expect(page.done).toBe(false);
      const page2 = await store().listEndpoints(app.id, { limit: 1, iterator: page.iterator! });
      expect(page2.data.map((e) => e.id)).toEqual([ep.id]);
      expect(page2.done).toBe(true);

      await store().deleteEndpoint(app.id, second.id);
      expect(await store().getEndpoint(app.id, second.id)).toBeNull();
      expect((await store().listEndpoints(app.id, { limit: 10 })).data).toHaveLength(1);
    });

    it('activeEndpoints lists the enabled endpoints of one app', async () => {
      const app = await createApp(store());
      const other = await createApp(store());
      const a = await createEndpoint(store(), app.id);
      await createEndpoint(store(), app.id, { disabled: true });
      const c = await createEndpoint(store(), app.id);
      await createEndpoint(store(), other.id);
      expect((await store().activeEndpoints(app.id)).map((e) => e.id).sort()).toEqual([a.id, c.id].sort());
    });
  });
}
