import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/port.js';
import { T0 } from '../helpers/store-fixtures.js';
import { conflict, notFound } from './contract-helpers.js';

/** Event types: the catalogue, archived and deleted. Part of the Store contract (contract.ts). */
export function eventTypesContract(store: () => Store): void {
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
      const created = await store().createEventType(et('invoice.paid', { schemas, groupName: 'billing' }), T0);
      expect(created).toMatchObject({ name: 'invoice.paid', schemas, groupName: 'billing', archived: false });
      expect(created.createdAt).toBe(T0);
      expect(await store().getEventType('invoice.paid')).toEqual(created);
      expect(await store().getEventType('nope')).toBeNull();

      const updated = await store().updateEventType(
        et('invoice.paid', { archived: true, deprecated: true, featureFlag: 'beta', description: 'x' }),
        T0 + 1,
      );
      expect(updated).toMatchObject({ archived: true, deprecated: true, featureFlag: 'beta', description: 'x' });
      expect(updated.createdAt).toBe(T0);
      expect(updated.updatedAt).toBe(T0 + 1);
      await expect(store().updateEventType(et('nope'), T0)).rejects.toMatchObject(notFound);

      await store().deleteEventType('invoice.paid');
      expect(await store().getEventType('invoice.paid')).toBeNull();
    });

    it('refuses a duplicate name with conflict', async () => {
      await store().createEventType(et('a.b'), T0);
      await expect(store().createEventType(et('a.b'), T0)).rejects.toMatchObject(conflict);
    });

    it('pages by name ascending and hides archived ones unless asked', async () => {
      for (const n of ['c.x', 'a.x', 'd.x', 'b.x']) await store().createEventType(et(n, { archived: n === 'b.x' }), T0);
      const p1 = await store().listEventTypes({ limit: 2 }, { includeArchived: false });
      expect(p1.data.map((e) => e.name)).toEqual(['a.x', 'c.x']);
      expect(p1).toMatchObject({ done: false, iterator: 'c.x', prevIterator: '-a.x' });
      const p2 = await store().listEventTypes({ limit: 2, iterator: p1.iterator! }, { includeArchived: false });
      expect(p2.data.map((e) => e.name)).toEqual(['d.x']);
      expect(p2.done).toBe(true);
      const all = await store().listEventTypes({ limit: 10 }, { includeArchived: true });
      expect(all.data.map((e) => e.name)).toEqual(['a.x', 'b.x', 'c.x', 'd.x']);
    });
  });
}
