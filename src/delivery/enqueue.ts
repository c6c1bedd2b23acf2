import { commitGroup, createBatcher } from '../core/batcher.js';
import { HookwayError } from '../core/errors.js';
import type { Endpoint } from '../core/types.js';
import type { NewMessage, Store } from '../store/port.js';
import { type HandOffTarget, handOver, pendingEndpoints, withLease } from './hand-off.js';

/**
 * The write path of "create message": messages that arrive together are
 * committed in one transaction. If one of them breaks a unique constraint
 * (a duplicate eventId racing its twin), the batch is retried one by one so
 * only the duplicate fails.
 *
 * Hand-off (hand-off.ts): when this node runs a dispatcher and the caller
 * passes the endpoints it fanned out to, the deliveries are leased to this
 * node in the same transaction and handed to the dispatcher after the commit.
 */
export interface Enqueuer {
  /** `endpoints`: the fan-out set's Endpoint objects, when the caller has them (enables hand-off). */
  enqueue(item: NewMessage, endpoints?: readonly Endpoint[]): Promise<void>;
  drain(): Promise<void>;
}

export function createEnqueuer(
  store: Store,
  /** This node's dispatcher, if it runs one (read at each commit: it starts after the API is wired). */
  target: () => HandOffTarget | null,
  now: () => number = Date.now,
): Enqueuer {
  type Item = { msg: NewMessage; endpoints: readonly Endpoint[] | undefined; error?: unknown; settled?: boolean };
  // Once per item: a group committed one by one can throw after some items were handed over.
  const settle = (item: Item, engine: HandOffTarget | null, created: ReadonlySet<string> | null, at: number) => {
    if (item.settled) return;
    item.settled = true;
    handOver(item.msg, item.endpoints, engine, created, at);
  };

  const batcher = createBatcher<Item>(async (items) => {
    const engine = target();
    const at = now();
    for (const item of items) item.msg = withLease(item.msg, item.endpoints, engine, at);
    try {
      await commitGroup(
        items,
        (group) =>
          store.createMessages(
            group.map((i) => i.msg),
            at,
          ),
        {
          // Only a constraint (a duplicate) is worth retrying one by one; an unavailable database fails them all.
          isolate: (err) => err instanceof HookwayError && err.code !== 'database_unavailable',
          done: (group, created) => {
            for (const item of group) settle(item, engine, created, at);
          },
          failed: (item, err) => {
            settle(item, engine, null, at);
            item.error = err;
          },
        },
      );
    } catch (err) {
      for (const item of items) settle(item, engine, null, at);
      throw err;
    }
    const pending = pendingEndpoints(items.map((i) => i.msg));
    if (pending.length > 0) engine?.offer(pending);
  });
  return {
    async enqueue(msg, endpoints) {
      const item: Item = { msg, endpoints };
      await batcher.add(item);
      if (item.error) throw item.error;
    },
    drain: () => batcher.drain(),
  };
}
