import type { Logger } from 'pino';
import type { ClaimedDelivery, Store } from '../store/port.js';
import { storeFailed } from './store-failure.js';

/**
 * Lanes and caps: each endpoint has a lane with an in-flight cap. Claimed
 * deliveries wait in their endpoint's lane for a free slot; an endpoint whose
 * lane is full (4x its cap) is left out of claims (`skip`), so a slow
 * endpoint's backlog stays in the database while healthy endpoints keep every
 * other slot. The node as a whole holds at most `workerConcurrency`
 * deliveries (sending + waiting), and at most `workerMemoryBytes` of their
 * payloads: the count alone would let a node full of large messages hold
 * gigabytes.
 *
 * Hand-off (`reserve`, `accept`, `cancel`): a delivery committed on this node
 * takes a slot in its lane before the commit and is sent from memory after it.
 *
 * The lanes also say when the claim loop should look again: a lane that was
 * skipped wakes it when it half-drains, a node that was full when half its
 * capacity frees up.
 */
export interface LaneOptions {
  workerConcurrency: number;
  /** Payload bytes (characters) the deliveries held may add up to; a delivery of a fan-out counts its message's. */
  workerMemoryBytes?: number;
  endpointConcurrency: number;
  leaseMs: number;
}

export interface LaneDeps {
  store: Store;
  log: Logger;
  now: () => number;
  /** Whether the dispatcher runs: a stopped one takes no hand-off and sends nothing more. */
  running: () => boolean;
  /** Endpoints to leave queued right now (the throttle: rate limit, open circuit, 429 pause). */
  paused: (nowMs: number) => Iterable<string>;
  /** Sends one delivery; resolves once its slot may be given to the next. */
  send: (c: ClaimedDelivery) => Promise<void>;
  /** Wakes the claim loop. */
  wake: () => void;
}

export interface Lanes {
  /** Deliveries held on this node: sending, waiting in a lane, or reserved by a hand-off. */
  readonly inflight: number;
  /**
   * Room for this many more deliveries: 0 once the count or the payload bytes held are at their cap.
   * A full node first hands the deliveries waiting for paused endpoints back to the queue.
   */
  room(): number;
  /** Claimed-but-waiting deliveries per endpoint at most; beyond it the endpoint is skipped by claims. */
  readonly depth: number;
  reserve(endpointId: string): boolean;
  accept(c: ClaimedDelivery): void;
  cancel(endpointId: string): void;
  /** Reads the paused endpoints again (before a claim). */
  refreshPaused(nowMs: number): void;
  /** Endpoints a claim must leave out: paused ones and full lanes (those wake the loop when they half-drain). */
  skipList(): string[];
  /** Deliveries a claim returned join their lanes and start as their caps allow. */
  claimed(list: readonly ClaimedDelivery[], claimedAt: number): void;
  /** The node's room was used up: the loop wants a wake once half of it frees up. */
  starve(): void;
  /** Starts what every lane not paused has room for. */
  pumpAll(): void;
  /** Whether this endpoint's lane is full and will wake the loop itself when it half-drains. */
  skipped(endpointId: string): boolean;
  /** Resolves true once nothing is in flight, false if `ms` passes first. */
  untilIdle(ms: number): Promise<boolean>;
  /** Takes every delivery still waiting in a lane (stop): their ids, to hand back to the queue. */
  takeWaiting(): string[];
}

interface Lane {
  sending: number;
  reserved: number;
  waiting: Array<{ c: ClaimedDelivery; claimedAt: number }>;
}

export function createLanes(opts: LaneOptions, d: LaneDeps): Lanes {
  /** Per endpoint: deliveries being sent, and claimed ones waiting for a free slot. */
  const lanes = new Map<string, Lane>();
  const laneDepth = opts.endpointConcurrency * 4;
  let inflight = 0; // sending + waiting, on this node
  let heldBytes = 0; // their payloads
  const maxBytes = opts.workerMemoryBytes ?? Number.POSITIVE_INFINITY;
  const bytesOf = (c: ClaimedDelivery): number => c.message.payload?.length ?? 0;
  const roomLeft = () => (heldBytes >= maxBytes ? 0 : Math.max(0, opts.workerConcurrency - inflight));

  /**
   * The room left; when there is none, the deliveries waiting for a paused endpoint (open
   * breaker, rate limit, 429) go back to the queue first. Held here they would keep the node
   * full for as long as the pause lasts, and every other endpoint would wait: measured in
   * test/ops/capacity.test.ts, a dead endpoint whose lane held the node's 16 slots kept a healthy
   * endpoint's 400 deliveries waiting 19 s (3.7 s when the lane did not fill the node). Claims
   * leave paused endpoints out, so they stay queued until the pause ends and wakes the loop.
   */
  function room(): number {
    const left = roomLeft();
    if (left > 0) return left;
    const shed: string[] = [];
    for (const [endpointId, lane] of lanes) {
      if (!paused.has(endpointId) || lane.waiting.length === 0) continue;
      shed.push(...takeFrom(lane));
      if (depthOf(lane) === 0) lanes.delete(endpointId);
    }
    if (shed.length > 0) {
      void d.store.releaseDeliveries(shed).catch((err) => storeFailed(d.log, err, 'release failed'));
      if (inflight === 0) for (const f of idle) f();
    }
    return roomLeft();
  }

  /** Takes a lane's waiting deliveries off this node's books: their ids, to hand back to the queue. */
  function takeFrom(lane: Lane): string[] {
    const ids: string[] = [];
    for (const w of lane.waiting.splice(0)) {
      ids.push(w.c.delivery.id);
      heldBytes -= bytesOf(w.c);
    }
    inflight -= ids.length;
    return ids;
  }
  let paused = new Set<string>();
  /** The last claim filled the node's room: more may be due once half of it frees up. */
  let starved = false;
  /** Endpoints left out of a claim because their lane was full: wake when it half-drains. */
  const skipped = new Set<string>();
  const idle = new Set<() => void>();

  function laneOf(endpointId: string): Lane {
    let lane = lanes.get(endpointId);
    if (!lane) {
      lane = { sending: 0, reserved: 0, waiting: [] };
      lanes.set(endpointId, lane);
    }
    return lane;
  }

  function depthOf(lane: Lane): number {
    return lane.sending + lane.reserved + lane.waiting.length;
  }

  /**
   * Hand-off: room for one more fresh delivery of this endpoint? Refusals
   * leave it pending in the queue and arrange the wake-up that will claim it:
   * a full lane wakes the loop when it half-drains, a full node when half its
   * capacity frees up, a paused endpoint when its pause ends (the throttle).
   */
  function reserve(endpointId: string): boolean {
    if (!d.running()) return false;
    if (paused.has(endpointId)) return false;
    if (room() === 0) {
      starved = true;
      return false;
    }
    const lane = laneOf(endpointId);
    if (depthOf(lane) >= laneDepth) {
      skipped.add(endpointId);
      return false;
    }
    lane.reserved++;
    inflight++;
    return true;
  }

  function accept(c: ClaimedDelivery): void {
    const lane = laneOf(c.endpoint.id);
    lane.reserved--;
    heldBytes += bytesOf(c);
    if (!d.running()) {
      // Stopped between commit and hand-off: back to the queue, as stop() does for waiting ones.
      void d.store.releaseDeliveries([c.delivery.id]).catch((err) => d.log.error({ err }, 'release failed'));
      done(c.endpoint.id, false, bytesOf(c));
      return;
    }
    lane.waiting.push({ c, claimedAt: d.now() });
    pump(c.endpoint.id);
  }

  function cancel(endpointId: string): void {
    const lane = lanes.get(endpointId);
    if (!lane) return;
    lane.reserved--;
    done(endpointId, false);
  }

  /**
   * Starts as many waiting deliveries of one endpoint as its cap allows. A
   * delivery that waited for half its lease is handed back to the queue
   * rather than sent, so another node can never claim it while we send it.
   */
  function pump(endpointId: string): void {
    const lane = lanes.get(endpointId);
    if (!lane) return;
    const stale: string[] = [];
    // Re-read pauses: an answer just in (a 429, the breaker opening) may have paused this endpoint.
    if (lane.waiting.length > 0) paused = new Set(d.paused(d.now()));
    while (lane.sending < opts.endpointConcurrency && lane.waiting.length > 0 && !paused.has(endpointId)) {
      const next = lane.waiting.shift();
      if (!next) break;
      if (d.now() - next.claimedAt > opts.leaseMs / 2) {
        stale.push(next.c.delivery.id);
        done(endpointId, false, bytesOf(next.c));
        continue;
      }
      lane.sending++;
      void d.send(next.c).finally(() => {
        lane.sending--;
        done(endpointId, true, bytesOf(next.c));
      });
    }
    if (stale.length > 0) {
      void d.store.releaseDeliveries(stale).catch((err) => storeFailed(d.log, err, 'release failed'));
    }
  }

  function done(endpointId: string, sent: boolean, bytes = 0): void {
    inflight--;
    heldBytes -= bytes;
    const lane = lanes.get(endpointId);
    if (lane && depthOf(lane) === 0) lanes.delete(endpointId);
    if (sent) pump(endpointId);
    if (inflight === 0) for (const f of idle) f();
    // A finished send matters to the loop only if a claim left work behind for lack of room
    // (node full, or this endpoint's lane full). Otherwise new work announces itself (enqueue,
    // NOTIFY, timer): waking on every send made ~95% of claims empty, at 0.3-0.6 ms each.
    const depth = lane ? depthOf(lane) : 0;
    if (skipped.has(endpointId) && depth <= laneDepth / 2) {
      skipped.delete(endpointId);
      d.wake();
    } else if (starved && inflight <= opts.workerConcurrency / 2 && heldBytes <= maxBytes / 2) {
      starved = false;
      d.wake();
    }
  }

  return {
    get inflight() {
      return inflight;
    },
    room,
    depth: laneDepth,
    reserve,
    accept,
    cancel,
    refreshPaused(at) {
      paused = new Set(d.paused(at));
    },
    skipList() {
      const skip: string[] = [...paused];
      for (const [id, lane] of lanes) {
        if (depthOf(lane) >= laneDepth) {
          skip.push(id);
          skipped.add(id);
        }
      }
      return skip;
    },
    claimed(list, claimedAt) {
      const touched = new Map<string, number>();
      for (const c of list) {
        laneOf(c.endpoint.id).waiting.push({ c, claimedAt });
        inflight++;
        heldBytes += bytesOf(c);
        touched.set(c.endpoint.id, (touched.get(c.endpoint.id) ?? 0) + 1);
      }
      for (const [id, count] of touched) {
        // The claim took this endpoint's share in full, so more of its work may be due: claim
        // again when its lane half-drains. Without this, a burst to one endpoint was sent one
        // lane (64) per poll interval: measured 104 msg/s against 2,946 for the peer.
        if (count >= laneDepth || depthOf(laneOf(id)) >= laneDepth) skipped.add(id);
        pump(id);
      }
    },
    starve() {
      starved = true;
    },
    pumpAll() {
      for (const id of lanes.keys()) if (!paused.has(id)) pump(id);
    },
    skipped: (endpointId) => skipped.has(endpointId),
    untilIdle(ms) {
      if (inflight === 0) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = Number.isFinite(ms) ? setTimeout(() => finish(false), ms) : null;
        const onIdle = () => finish(true);
        function finish(ok: boolean): void {
          if (timer) clearTimeout(timer);
          idle.delete(onIdle);
          resolve(ok);
        }
        idle.add(onIdle);
      });
    },
    takeWaiting() {
      return [...lanes.values()].flatMap(takeFrom);
    },
  };
}
