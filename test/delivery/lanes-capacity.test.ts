import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createLanes } from '../../src/delivery/lanes.js';
import type { ClaimedDelivery, Store } from '../../src/store/port.js';

/** A delivery of a message whose payload is `size` characters. */
function delivery(id: string, endpointId: string, size: number): ClaimedDelivery {
  return {
    delivery: { id, endpointId, msgId: `msg_${id}` },
    message: { id: `msg_${id}`, payload: 'x'.repeat(size) },
    endpoint: { id: endpointId },
    triggerType: 0,
    parentAttemptId: null,
  } as unknown as ClaimedDelivery;
}

/** Lanes whose sends wait until the test finishes them. */
function harness(
  opts: { workerConcurrency: number; workerMemoryBytes?: number; endpointConcurrency?: number },
  paused: string[] = [],
) {
  const sending = new Map<string, () => void>();
  const released: string[] = [];
  let wakes = 0;
  const lanes = createLanes(
    { leaseMs: 60_000, ...opts, endpointConcurrency: opts.endpointConcurrency ?? 100 },
    {
      store: { releaseDeliveries: async (ids: string[]) => void released.push(...ids) } as unknown as Store,
      log: pino({ level: 'silent' }),
      now: () => 0,
      running: () => true,
      paused: () => paused,
      send: (c) => new Promise<void>((resolve) => sending.set(c.delivery.id, resolve)),
      wake: () => {
        wakes++;
      },
    },
  );
  /** A hand-off: reserve, then accept once "committed". */
  const handOff = (c: ClaimedDelivery): boolean => {
    if (!lanes.reserve(c.endpoint.id)) return false;
    lanes.accept(c);
    return true;
  };
  const finish = async (id: string) => {
    sending.get(id)?.();
    sending.delete(id);
    await new Promise((r) => setImmediate(r));
  };
  return { lanes, handOff, finish, released, wakes: () => wakes };
}

describe('lanes: what a node holds', () => {
  it('stops taking deliveries once their payloads reach the byte cap, below the count cap, and takes again as they finish', async () => {
    const h = harness({ workerConcurrency: 1000, workerMemoryBytes: 1000 });
    expect(h.handOff(delivery('d1', 'ep_a', 400))).toBe(true);
    expect(h.handOff(delivery('d2', 'ep_b', 400))).toBe(true);
    expect(h.lanes.room()).toBe(998);
    expect(h.handOff(delivery('d3', 'ep_c', 400))).toBe(true);
    // 1,200 of 1,000 bytes held: 3 of 1,000 deliveries, yet no room, for hand-offs or claims.
    expect(h.lanes.room()).toBe(0);
    expect(h.handOff(delivery('d4', 'ep_d', 10))).toBe(false);
    expect(h.lanes.inflight).toBe(3);

    await h.finish('d1');
    // 800 bytes: room again; and the loop is woken only once half the bytes are free.
    expect(h.lanes.room()).toBe(998);
    expect(h.wakes()).toBe(0);
    await h.finish('d2');
    expect(h.wakes()).toBe(1);
    expect(h.handOff(delivery('d5', 'ep_e', 10))).toBe(true);
  });

  it('counts claimed deliveries, and gives their bytes back when the waiting ones are taken back', () => {
    // One at a time to this endpoint: the second waits in its lane.
    const h = harness({ workerConcurrency: 1000, workerMemoryBytes: 1000, endpointConcurrency: 1 });
    h.lanes.claimed([delivery('c1', 'ep_a', 600), delivery('c2', 'ep_a', 600)], 0);
    expect(h.lanes.room()).toBe(0);
    expect(h.lanes.takeWaiting()).toEqual(['c2']);
    expect(h.lanes.room()).toBe(999);
  });

  it('a full node hands back what waits for a paused endpoint, so the others are not held up by the pause', async () => {
    // A lane deep enough to hold the whole node: what a dead endpoint with an open breaker had.
    const h = harness({ workerConcurrency: 4 }, ['ep_dead']);
    h.lanes.refreshPaused(0);
    h.lanes.claimed(
      ['w1', 'w2', 'w3', 'w4'].map((id) => delivery(id, 'ep_dead', 10)),
      0,
    );
    expect(h.lanes.inflight).toBe(4);
    // The node is full of waiting deliveries that cannot be sent: they go back to the queue.
    expect(h.handOff(delivery('h1', 'ep_live', 10))).toBe(true);
    expect(h.released.sort()).toEqual(['w1', 'w2', 'w3', 'w4']);
    expect(h.lanes.inflight).toBe(1);
    expect(h.lanes.room()).toBe(3);
  });

  it('keeps what waits for a paused endpoint while the node has room', () => {
    const h = harness({ workerConcurrency: 10 }, ['ep_dead']);
    h.lanes.refreshPaused(0);
    h.lanes.claimed(
      ['w1', 'w2'].map((id) => delivery(id, 'ep_dead', 10)),
      0,
    );
    expect(h.lanes.room()).toBe(8);
    expect(h.released).toEqual([]);
    expect(h.lanes.takeWaiting().sort()).toEqual(['w1', 'w2']);
  });

  it('without a byte cap, the count cap alone bounds the node', () => {
    const h = harness({ workerConcurrency: 2 });
    expect(h.handOff(delivery('d1', 'ep_a', 1_000_000))).toBe(true);
    expect(h.handOff(delivery('d2', 'ep_a', 1_000_000))).toBe(true);
    expect(h.lanes.room()).toBe(0);
    expect(h.handOff(delivery('d3', 'ep_b', 1))).toBe(false);
  });
});
