import type { Logger } from 'pino';
import type { ClaimedDelivery, Store } from '../store/port.js';
import type { Lanes } from './lanes.js';
import { storeFailed } from './store-failure.js';

/**
 * The claim loop of one node: it claims up to `room` deliveries in one
 * statement (room = free worker slots), puts them in their lanes, and sleeps
 * until something can change: a new message (in-process wake or NOTIFY), a
 * lane or the node freeing up after a claim left work behind (lanes.ts), a
 * paused endpoint resuming (throttle.ts), or the next due time (bounded by the
 * poll interval, which is the floor that guarantees progress, not the
 * mechanism). One claim feeds many sends: the loop claims again when half the
 * node's capacity is free, not after every send (measured: claiming after
 * every send made the claim query 40% of CPU time at 1,000 deliveries/s).
 */
export interface ClaimLoopOptions {
  pollIntervalMs: number;
  leaseMs: number;
  /** Deliveries claimed per statement at most. */
  claimBatch?: number;
}

/** Wake and sleep: a wake while the loop is busy is kept, so its next sleep ends at once. */
export interface WakeSignal {
  wake(): void;
  /** Sleeps `ms` at most; a wake ends it. */
  sleep(ms: number): Promise<void>;
}

export function createWakeSignal(): WakeSignal {
  let signal: (() => void) | null = null;
  let pendingSignal = false;
  return {
    wake() {
      if (signal) {
        const s = signal;
        signal = null;
        s();
      } else {
        pendingSignal = true;
      }
    },
    sleep(ms) {
      if (pendingSignal) {
        pendingSignal = false;
        return Promise.resolve();
      }
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          signal = null;
          resolve();
        }, ms);
        signal = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    },
  };
}

export interface ClaimLoopDeps {
  store: Store;
  lanes: Lanes;
  signal: WakeSignal;
  log: Logger;
  now: () => number;
  running: () => boolean;
}

/** Claims until `running()` turns false; resolves after the claim in progress. */
export async function runClaimLoop(opts: ClaimLoopOptions, d: ClaimLoopDeps): Promise<void> {
  const { store, lanes, now } = d;
  const claimBatch = opts.claimBatch ?? 200;
  while (d.running()) {
    const room = Math.min(lanes.room(), claimBatch);
    let full = false;
    const at = now();
    lanes.refreshPaused(at);
    if (room > 0) {
      let claimed: ClaimedDelivery[] = [];
      try {
        claimed = await store.claimDeliveries(at, room, opts.leaseMs, lanes.skipList(), lanes.depth);
      } catch (err) {
        storeFailed(d.log, err, 'claim failed');
        await d.signal.sleep(opts.pollIntervalMs);
        continue;
      }
      lanes.claimed(claimed, at);
      full = claimed.length === room;
      if (full) lanes.starve();
    } else {
      lanes.starve();
    }
    lanes.pumpAll();
    if (full) continue;
    let sleep = opts.pollIntervalMs;
    if (room > 0) {
      const due = await store.nextDueAt().catch(() => null);
      // Something due at the claim but left (endpoint at its cap) is woken by its lane (lanes.ts),
      // not by spinning. Something that fell due since (a timer fires up to 1 ms early) is claimed
      // now: a retrying FIFO head waited a whole poll interval for it.
      if (due !== null && due > at) sleep = Math.max(0, Math.min(sleep, due - now()));
    }
    if (sleep > 0) await d.signal.sleep(sleep);
  }
}
