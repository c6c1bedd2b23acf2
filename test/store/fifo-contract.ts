import { describe, expect, it } from 'vitest';
import { newId } from '../../src/core/ids.js';
import type { Endpoint } from '../../src/core/types.js';
import type { ClaimedDelivery, DeliveryUpdate, Store } from '../../src/store/port.js';
import { attemptFor, createApp, createEndpoint, message, publish, T0 } from '../helpers/store-fixtures.js';

/**
 * FIFO endpoints in the Store contract (called from contract.ts, so every
 * adapter runs it): a FIFO endpoint's deliveries are numbered at commit and
 * claimed one at a time, head first; a retrying head holds the rest, an
 * exhausted one lets the next go, requeued ones join the back.
 */
const LEASE = 30_000;

async function record(s: Store, c: ClaimedDelivery, update: DeliveryUpdate, at: number): Promise<void> {
  const failed = update.kind !== 'succeeded';
  const attempt = attemptFor(c, at, {
    status: failed ? 'failed' : 'succeeded',
    responseStatusCode: failed ? 500 : 200,
  });
  await s.recordAttempts([{ attempt, deliveryId: c.delivery.id, update }], at);
}

/** Claims at `at` and answers the message ids claimed for `ep` (other endpoints' claims are left leased). */
async function claimFor(s: Store, ep: Endpoint, at: number, limit = 50): Promise<ClaimedDelivery[]> {
  return (await s.claimDeliveries(at, limit, LEASE, [])).filter((c) => c.endpoint.id === ep.id);
}

/**
 * Claimers on `stores` (several per store, each on its own connection where
 * the adapter has a pool) drain `total` queued deliveries of FIFO endpoints
 * concurrently, recording each as a success. Fails if two deliveries of one
 * endpoint are ever out at once; answers the message ids claimed per
 * endpoint, in claim order.
 */
export async function drainFifoConcurrently(stores: Store[], total: number): Promise<Map<string, string[]>> {
  const out = new Set<string>();
  const seen = new Map<string, string[]>();
  let at = T0 + 1;
  let overlaps = 0;
  let done = 0;
  const worker = async (s: Store) => {
    let idle = 0;
    while (done < total && idle < 500) {
      const claimed = await s.claimDeliveries(at++, 5, LEASE, []);
      if (claimed.length === 0) {
        idle++;
        await new Promise((r) => setTimeout(r, 1));
        continue;
      }
      idle = 0;
      for (const c of claimed) {
        if (out.has(c.endpoint.id)) overlaps++;
        out.add(c.endpoint.id);
        seen.set(c.endpoint.id, [...(seen.get(c.endpoint.id) ?? []), c.message.id]);
      }
      await new Promise((r) => setTimeout(r, Math.random() * 3));
      for (const c of claimed) {
        // Out of flight before the record commits: nothing of the endpoint can be claimed until it has.
        out.delete(c.endpoint.id);
        done++;
        await record(s, c, { kind: 'succeeded' }, at);
      }
    }
  };
  await Promise.all(stores.flatMap((s) => [s, s, s, s]).map(worker));
  expect(overlaps).toBe(0);
  return seen;
}

export function fifoContract(store: () => Store): void {
  describe('FIFO endpoints', () => {
    async function setup(over: Partial<Endpoint> = {}) {
      const s = store();
      const app = await createApp(s);
      const ep = await createEndpoint(s, app.id, { fifo: true, ...over });
      return { s, app, ep };
    }

    it('stores the flag: off by default, set on create, changed by update', async () => {
      const s = store();
      const app = await createApp(s);
      expect((await createEndpoint(s, app.id)).fifo).toBe(false);
      const ep = await createEndpoint(s, app.id, { fifo: true });
      expect(ep.fifo).toBe(true);
      expect((await s.getEndpoint(app.id, ep.id))?.fifo).toBe(true);
      expect((await s.activeEndpoints(app.id)).find((e) => e.id === ep.id)?.fifo).toBe(true);
      const { createdAt: _c, updatedAt: _u, ...input } = ep;
      expect((await s.updateEndpoint({ ...input, fifo: false }, T0 + 1)).fifo).toBe(false);
    });

    it('claims only the head, in commit order, one at a time; other endpoints are not held', async () => {
      const { s, app, ep } = await setup();
      const plain = await createEndpoint(s, app.id);
      const m1 = await publish(s, app.id, [ep.id, plain.id]);
      // One commit of two messages: batch order is their order.
      const [m2, m3] = [message(app.id), message(app.id)];
      await s.createMessages(
        [
          { message: m2, endpointIds: [ep.id, plain.id] },
          { message: m3, endpointIds: [ep.id, plain.id] },
        ],
        T0,
      );
      const m4 = await publish(s, app.id, [ep.id]);
      const first = await s.claimDeliveries(T0, 50, LEASE, []);
      expect(first.filter((c) => c.endpoint.id === plain.id)).toHaveLength(3);
      const head = first.filter((c) => c.endpoint.id === ep.id);
      expect(head.map((c) => c.message.id)).toEqual([m1.id]);
      // The head is out: nothing more of the FIFO endpoint, however many claims.
      expect(await claimFor(s, ep, T0 + 1)).toEqual([]);
      expect(await s.fifoQueue(ep.id)).toMatchObject({
        head: { id: head[0]!.delivery.id, status: 'sending' },
        waiting: 3,
      });
      const order = [m1.id];
      let current = head[0]!;
      for (let i = 0; i < 3; i++) {
        await record(s, current, { kind: 'succeeded' }, T0 + 2 + i);
        const next = await claimFor(s, ep, T0 + 2 + i);
        expect(next).toHaveLength(1);
        current = next[0]!;
        order.push(current.message.id);
      }
      expect(order).toEqual([m1.id, m2.id, m3.id, m4.id]);
      await record(s, current, { kind: 'succeeded' }, T0 + 9);
      expect(await s.fifoQueue(ep.id)).toEqual({ head: null, waiting: 0 });
    });

    it('a retrying head holds the rest until it is due; only the head counts for nextDueAt', async () => {
      const { s, app, ep } = await setup();
      const m1 = await publish(s, app.id, [ep.id]);
      await publish(s, app.id, [ep.id]);
      await publish(s, app.id, [ep.id]);
      const [c1] = await claimFor(s, ep, T0);
      await record(s, c1!, { kind: 'retry', nextAttemptAt: T0 + 5_000 }, T0 + 10);
      // Two deliveries due since T0 wait behind it: not claimable, and not "due" either.
      expect(await claimFor(s, ep, T0 + 20)).toEqual([]);
      expect(await s.nextDueAt()).toBe(T0 + 5_000);
      const queue = await s.fifoQueue(ep.id);
      expect(queue.waiting).toBe(2);
      expect(queue.head).toMatchObject({
        id: c1!.delivery.id,
        status: 'retrying',
        attempts: 1,
        nextAttemptAt: T0 + 5_000,
      });
      const again = await claimFor(s, ep, T0 + 5_000);
      expect(again.map((c) => [c.message.id, c.delivery.attempts])).toEqual([[m1.id, 1]]);
    });

    it('an exhausted head lets the next go and stays replayable: a resend joins the back of the queue', async () => {
      const { s, app, ep } = await setup();
      const m1 = await publish(s, app.id, [ep.id]);
      const m2 = await publish(s, app.id, [ep.id]);
      const m3 = await publish(s, app.id, [ep.id]);
      const [c1] = await claimFor(s, ep, T0);
      await record(s, c1!, { kind: 'exhausted' }, T0 + 1);
      const [c2] = await claimFor(s, ep, T0 + 2);
      expect(c2?.message.id).toBe(m2.id);
      // A resend of m2 while it is out leaves it alone (a second copy in flight would break the order).
      const busy = await s.requeueDelivery(app.id, m2.id, ep.id, T0 + 3, null);
      expect(busy.status).toBe('sending');
      expect(await claimFor(s, ep, T0 + 3)).toEqual([]);
      // A resend of the exhausted m1 goes behind m3, which was queued first.
      const requeued = await s.requeueDelivery(app.id, m1.id, ep.id, T0 + 3, null);
      expect(requeued).toMatchObject({ id: c1!.delivery.id, status: 'pending' });
      await record(s, c2!, { kind: 'succeeded' }, T0 + 4);
      const [c3] = await claimFor(s, ep, T0 + 5);
      expect(c3?.message.id).toBe(m3.id);
      await record(s, c3!, { kind: 'succeeded' }, T0 + 6);
      const [again] = await claimFor(s, ep, T0 + 7);
      expect(again).toMatchObject({ message: { id: m1.id }, triggerType: 1, delivery: { attempts: 1 } });
    });

    it('recover and replay-missing queue FIFO deliveries at the back, in message order', async () => {
      const { s, app, ep } = await setup();
      const failed = [await publish(s, app.id, [ep.id]), await publish(s, app.id, [ep.id])];
      for (const [i, m] of failed.entries()) {
        const [c] = await claimFor(s, ep, T0 + i);
        expect(c?.message.id).toBe(m.id);
        await record(s, c!, { kind: 'exhausted' }, T0 + i);
      }
      const queued = await publish(s, app.id, [ep.id], {}, T0 + 10);
      const missing = await publish(s, app.id, [], {}, T0 + 10);
      expect((await s.requeueFailedDeliveries(ep.id, T0 - 1, T0 + 100, null, 10, T0 + 20)).count).toBe(2);
      expect(await s.addMissingDeliveries(app.id, ep.id, [missing.id], T0 + 21)).toBe(1);
      const order: string[] = [];
      for (let at = T0 + 30; order.length < 4; at++) {
        const [c] = await claimFor(s, ep, at);
        if (!c) throw new Error(`nothing claimed after ${order.length}`);
        order.push(c.message.id);
        await record(s, c, { kind: 'succeeded' }, at);
      }
      expect(order).toEqual([queued.id, failed[0]!.id, failed[1]!.id, missing.id]);
    });

    it('never leases a FIFO delivery at commit, even when asked to', async () => {
      const { s, app, ep } = await setup();
      const plain = await createEndpoint(s, app.id);
      const ids = new Map([
        [ep.id, newId('dlv', T0)],
        [plain.id, newId('dlv', T0)],
      ]);
      const leased = await s.createMessages(
        [{ message: message(app.id), endpointIds: [ep.id, plain.id], leased: { ids, until: T0 + LEASE } }],
        T0,
      );
      expect([...leased]).toEqual([ids.get(plain.id)]);
      expect((await s.fifoQueue(ep.id)).head).toMatchObject({ status: 'pending' });
      expect(await claimFor(s, ep, T0)).toHaveLength(1);
    });

    it('reclaims the head when its lease expires, and nothing behind it meanwhile', async () => {
      const { s, app, ep } = await setup();
      const m1 = await publish(s, app.id, [ep.id]);
      await publish(s, app.id, [ep.id]);
      const [c1] = await claimFor(s, ep, T0);
      expect(await claimFor(s, ep, T0 + LEASE - 1)).toEqual([]);
      const again = await claimFor(s, ep, T0 + LEASE + 1);
      expect(again.map((c) => c.message.id)).toEqual([m1.id]);
      expect(again[0]?.delivery.id).toBe(c1?.delivery.id);
      // Released (a node stopping) rather than expired: the head goes back first.
      await s.releaseDeliveries([c1!.delivery.id]);
      expect((await claimFor(s, ep, T0 + LEASE + 2)).map((c) => c.message.id)).toEqual([m1.id]);
    });

    it('a disabled or skipped FIFO endpoint is left queued', async () => {
      const { s, app, ep } = await setup({ disabled: true });
      await publish(s, app.id, [ep.id]);
      expect(await claimFor(s, ep, T0)).toEqual([]);
      expect(await s.nextDueAt()).toBeNull();
      const { createdAt: _c, updatedAt: _u, ...input } = ep;
      await s.updateEndpoint({ ...input, disabled: false }, T0 + 1);
      expect(await s.claimDeliveries(T0 + 2, 10, LEASE, [ep.id])).toEqual([]);
      expect(await claimFor(s, ep, T0 + 2)).toHaveLength(1);
    });

    it('turning FIFO on queues what was pending in creation order; turning it off releases the queue', async () => {
      const s = store();
      const app = await createApp(s);
      const ep = await createEndpoint(s, app.id);
      const msgs = [await publish(s, app.id, [ep.id]), await publish(s, app.id, [ep.id])];
      const { createdAt: _c, updatedAt: _u, ...input } = ep;
      await s.updateEndpoint({ ...input, fifo: true }, T0 + 1);
      const later = await publish(s, app.id, [ep.id], {}, T0 + 2);
      expect((await s.fifoQueue(ep.id)).waiting).toBe(2);
      const [c1] = await claimFor(s, ep, T0 + 3);
      expect(c1?.message.id).toBe(msgs[0]!.id);
      expect(await claimFor(s, ep, T0 + 3)).toEqual([]);
      await s.updateEndpoint({ ...input, fifo: false }, T0 + 4);
      const rest = await claimFor(s, ep, T0 + 5);
      expect(rest.map((c) => c.message.id).sort()).toEqual([msgs[1]!.id, later.id].sort());
      expect(await s.fifoQueue(ep.id)).toEqual({ head: null, waiting: 0 });
    });

    it('concurrent claimers never have two deliveries of one FIFO endpoint out, and keep the order', async () => {
      const s = store();
      const app = await createApp(s);
      const eps = [await createEndpoint(s, app.id, { fifo: true }), await createEndpoint(s, app.id, { fifo: true })];
      const expected = new Map(eps.map((e) => [e.id, [] as string[]]));
      for (let i = 0; i < 15; i++) {
        const batch = [message(app.id), message(app.id)];
        await s.createMessages(
          batch.map((m) => ({ message: m, endpointIds: eps.map((e) => e.id) })),
          T0,
        );
        for (const e of eps) expected.get(e.id)?.push(...batch.map((m) => m.id));
      }
      expect(await drainFifoConcurrently([s], 60)).toEqual(expected);
    });
  });
}
