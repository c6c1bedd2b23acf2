import { describe, expect, it } from 'vitest';
import { newId } from '../../src/core/ids.js';
import type { InboundEvent, NewInboundEvent, Source } from '../../src/store/inbound-port.js';
import type { Store } from '../../src/store/port.js';
import { attemptFor, createApp, createEndpoint, message, T0 } from '../helpers/store-fixtures.js';

/**
 * The inbound part of the Store contract (called from contract.ts, so every
 * adapter runs it). `store()` is the migrated store of the current test.
 */
export function inboundContract(store: () => Store): void {
  describe('inbound', () => {
    async function source(over: Partial<Source> = {}): Promise<Source> {
      const s = store();
      const app = await createApp(s);
      return s.createSource(
        {
          id: newId('src'),
          uid: null,
          name: 'GitHub',
          type: 'github',
          config: { secret: 'gh-secret', secrets: ['old-secret'], header: 'x-sig' },
          appId: app.id,
          forwardAppId: null,
          bodyLimit: 1024 * 1024,
          metadata: {},
          ...over,
        },
        T0,
      );
    }

    function event(sourceId: string, over: Partial<InboundEvent> = {}): InboundEvent {
      return {
        id: newId('evt'),
        sourceId,
        dedupeKey: newId('evt'),
        providerEventId: null,
        eventType: 'push',
        body: Buffer.from([123, 0, 255, 125]),
        contentType: 'application/json',
        headers: { 'x-github-event': 'push' },
        status: 'unhandled',
        error: null,
        attempts: 0,
        msgId: null,
        forwardMsgId: null,
        receivedAt: T0,
        updatedAt: T0,
        ...over,
      };
    }

    it('creates, reads (by id or uid), lists, updates and deletes sources; config round-trips decrypted', async () => {
      const s = await source({ uid: 'gh' });
      expect(s.config).toEqual({ secret: 'gh-secret', secrets: ['old-secret'], header: 'x-sig' });
      expect(await store().getSource(s.id)).toEqual(s);
      expect(await store().getSource('gh')).toEqual(s);
      expect(await store().getSource('nope')).toBeNull();
      await expect(source({ uid: 'gh' })).rejects.toMatchObject({ code: 'conflict' });
      const second = await source();
      const page = await store().listSources({ limit: 1 });
      expect(page.data.map((x) => x.id)).toEqual([second.id]);
      expect(page.done).toBe(false);
      const updated = await store().updateSource({ ...s, name: 'GH', config: { secret: 'new' } }, T0 + 5);
      expect(updated).toMatchObject({ name: 'GH', config: { secret: 'new' }, createdAt: T0, updatedAt: T0 + 5 });
      await expect(store().updateSource({ ...s, id: 'src_missing' }, T0)).rejects.toMatchObject({ code: 'not_found' });
      await store().deleteSource(s.id);
      expect(await store().getSource(s.id)).toBeNull();
    });

    it('receives a batch: events with their messages and deliveries, duplicates reported, not failed', async () => {
      const s = await source();
      const ep = await createEndpoint(store(), s.appId);
      const e1 = event(s.id, { dedupeKey: 'd-1', providerEventId: 'd-1', status: 'forwarded' });
      const m1 = message(s.appId, { eventId: e1.id });
      e1.msgId = m1.id;
      const e2 = event(s.id, { dedupeKey: 'd-2', providerEventId: 'd-2' });
      // The same key twice in one batch: the second is a duplicate of the first.
      const e3 = event(s.id, { dedupeKey: 'd-1', providerEventId: 'd-1', eventType: 'other' });
      const batch: NewInboundEvent[] = [
        { event: e1, messages: [{ message: m1, endpointIds: [ep.id] }] },
        { event: e2, messages: [] },
        { event: e3, messages: [{ message: message(s.appId, { eventId: e3.id }), endpointIds: [ep.id] }] },
      ];
      const receipts = await store().receiveInbound(batch, T0);
      expect(receipts).toEqual([
        { duplicate: false, id: e1.id, leased: new Set() },
        { duplicate: false, id: e2.id, leased: new Set() },
        { duplicate: true, id: e1.id, eventType: 'push' },
      ]);
      // Across batches too.
      const later = event(s.id, { dedupeKey: 'd-2' });
      expect(await store().receiveInbound([{ event: later, messages: [] }], T0)).toEqual([
        { duplicate: true, id: e2.id, eventType: 'push' },
      ]);
      // Only the first event's message was queued.
      expect(await store().countDeliveries({})).toBe(1);
      expect(await store().findMessageByEventId(s.appId, e3.id)).toBeNull();
      const got = await store().getInboundEvent(s.id, e1.id);
      expect(got).toEqual(e1);
      expect(got?.body.equals(Buffer.from([123, 0, 255, 125]))).toBe(true);
      // Dedupe is per source.
      const other = await source();
      expect(
        await store().receiveInbound([{ event: event(other.id, { dedupeKey: 'd-1' }), messages: [] }], T0),
      ).toEqual([expect.objectContaining({ duplicate: false })]);
    });

    it("creates an event's forwarding deliveries leased to this node when asked; a duplicate's are not created", async () => {
      const s = await source();
      const ep = await createEndpoint(store(), s.appId);
      const leased = (tag: string, msgId: string) => ({
        ids: new Map([[ep.id, `dlv_in_${tag}_${msgId.slice(-8)}`]]),
        until: T0 + 30_000,
      });
      const e1 = event(s.id, { dedupeKey: 'l-1', providerEventId: 'l-1' });
      const m1 = message(s.appId, { eventId: e1.id });
      const e2 = event(s.id, { dedupeKey: 'l-1', providerEventId: 'l-1' });
      const m2 = message(s.appId, { eventId: e2.id });
      const lease1 = leased('a', m1.id);
      const receipts = await store().receiveInbound(
        [
          { event: e1, messages: [{ message: m1, endpointIds: [ep.id], leased: lease1 }] },
          { event: e2, messages: [{ message: m2, endpointIds: [ep.id], leased: leased('b', m2.id) }] },
        ],
        T0,
      );
      const [first, dupe] = receipts;
      expect(first).toEqual({ duplicate: false, id: e1.id, leased: new Set(lease1.ids.values()) });
      expect(dupe).toMatchObject({ duplicate: true, id: e1.id });
      // The leased delivery is being sent by this node: no claim takes it before its lease ends.
      expect(await store().countDeliveries({})).toBe(1);
      expect(await store().claimDeliveries(T0, 10, 30_000, [])).toHaveLength(0);
      const expired = await store().claimDeliveries(T0 + 30_001, 10, 30_000, []);
      expect(expired.map((c) => c.delivery.id)).toEqual([...lease1.ids.values()]);
    });

    it('lists events newest first with filters, offset and iterator, without bodies', async () => {
      const s = await source();
      const events = Array.from({ length: 5 }, (_, i) =>
        event(s.id, {
          eventType: i % 2 ? 'odd' : 'even',
          status: i === 4 ? 'error' : 'unhandled',
          receivedAt: T0 + i * 1000,
        }),
      );
      await store().receiveInbound(
        events.map((e) => ({ event: e, messages: [] })),
        T0,
      );
      const all = await store().listInboundEvents(s.id, {}, { limit: 10 });
      expect(all.data.map((e) => e.id)).toEqual(events.map((e) => e.id).reverse());
      expect(all.data[0]?.body.length).toBe(0);
      expect((await store().listInboundEvents(s.id, { eventType: 'odd' }, { limit: 10 })).data).toHaveLength(2);
      expect((await store().listInboundEvents(s.id, { status: 'error' }, { limit: 10 })).data).toHaveLength(1);
      expect((await store().listInboundEvents(s.id, { since: T0 + 3000 }, { limit: 10 })).data).toHaveLength(2);
      const p1 = await store().listInboundEvents(s.id, {}, { limit: 2 });
      const p2 = await store().listInboundEvents(s.id, {}, { limit: 2, iterator: p1.iterator ?? undefined });
      const skipped = await store().listInboundEvents(s.id, {}, { limit: 2, offset: 2 });
      expect(p2.data.map((e) => e.id)).toEqual(skipped.data.map((e) => e.id));
      const asc = await store().listInboundEvents(s.id, {}, { limit: 2, order: 'asc' });
      expect(asc.data[0]?.id).toBe(events[0]?.id);

      expect(await store().inboundStats(s.id, T0 + 24 * 3600 * 1000 + 2000)).toEqual({
        events_by_type: { even: 3, odd: 2 },
        events_by_status: { unhandled: 4, error: 1 },
        recent_events_24h: 3,
        total_events: 5,
      });
    });

    it('updates an event and settles its status from its deliveries', async () => {
      const s = await source();
      const ok = await createEndpoint(store(), s.appId);
      const bad = await createEndpoint(store(), s.appId);
      const e = event(s.id, { status: 'forwarded' });
      const m = message(s.appId, { eventId: e.id });
      e.msgId = m.id;
      await store().receiveInbound([{ event: e, messages: [{ message: m, endpointIds: [ok.id, bad.id] }] }], T0);
      const claimed = await store().claimDeliveries(T0, 10, 30_000, []);
      expect(claimed).toHaveLength(2);
      const cOk = claimed.find((c) => c.endpoint.id === ok.id);
      const cBad = claimed.find((c) => c.endpoint.id === bad.id);
      if (!cOk || !cBad) throw new Error('claim');
      await store().recordAttempts(
        [{ attempt: attemptFor(cOk, T0 + 1), deliveryId: cOk.delivery.id, update: { kind: 'succeeded' } }],
        T0 + 1,
      );
      await store().settleInbound([m.id], {}, T0 + 1);
      expect(await store().getInboundEvent(s.id, e.id)).toMatchObject({ status: 'forwarded', attempts: 1 });

      await store().recordAttempts(
        [
          {
            attempt: attemptFor(cBad, T0 + 2, { status: 'failed', responseStatusCode: 500 }),
            deliveryId: cBad.delivery.id,
            update: { kind: 'exhausted' },
          },
        ],
        T0 + 2,
      );
      await store().settleInbound([m.id, m.id], { [m.id]: 'HTTP 500' }, T0 + 2);
      expect(await store().getInboundEvent(s.id, e.id)).toMatchObject({
        status: 'error',
        error: 'HTTP 500',
        attempts: 2,
        updatedAt: T0 + 2,
      });

      await store().updateInboundEvent(e.id, { status: 'forwarded', error: null }, T0 + 3);
      await store().requeueDelivery(s.appId, m.id, bad.id, T0 + 3, null);
      const [again] = await store().claimDeliveries(T0 + 3, 10, 30_000, []);
      if (!again) throw new Error('claim');
      await store().recordAttempts(
        [{ attempt: attemptFor(again, T0 + 4), deliveryId: again.delivery.id, update: { kind: 'succeeded' } }],
        T0 + 4,
      );
      await store().settleInbound([m.id], {}, T0 + 4);
      expect(await store().getInboundEvent(s.id, e.id)).toMatchObject({
        status: 'processed',
        error: null,
        attempts: 3,
      });

      // Unhandled events have no deliveries and stay as they are.
      const u = event(s.id);
      await store().receiveInbound([{ event: u, messages: [] }], T0);
      await store().settleInbound([m.id], {}, T0 + 5);
      expect((await store().getInboundEvent(s.id, u.id))?.status).toBe('unhandled');
    });

    it('records and lists rejections newest first; deleting a source removes its events', async () => {
      const s = await source();
      const rejections = [1, 2, 3].map((i) => ({
        id: newId('rej'),
        sourceId: s.id,
        reason: `reason ${i}`,
        headers: { 'x-i': String(i) },
        bodyExcerpt: `{"i":${i}}`,
        receivedAt: T0 + i,
      }));
      await store().recordRejections(rejections);
      const page = await store().listRejections(s.id, { limit: 2 });
      expect(page.data).toEqual([rejections[2], rejections[1]]);
      expect(page.done).toBe(false);

      const e = event(s.id);
      await store().receiveInbound([{ event: e, messages: [] }], T0);
      await store().deleteSource(s.id);
      expect(await store().getInboundEvent(s.id, e.id)).toBeNull();
      expect((await store().listRejections(s.id, { limit: 10 })).data).toEqual([]);
    });

    it("deleting the source's application deletes the source", async () => {
      const s = await source();
      await store().deleteApp(s.appId);
      expect(await store().getSource(s.id)).toBeNull();
    });
  });
}
