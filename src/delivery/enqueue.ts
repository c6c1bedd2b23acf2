import { createBatcher } from '../core/batcher.js';
import { HookwayError } from '../core/errors.js';
import type { NewMessage, Store } from '../store/port.js';

/**
 * The write path of "create message": messages that arrive together are
 * committed in one transaction. If one of them breaks a unique constraint
 * (a duplicate eventId racing its twin), the batch is retried one by one so
 * only the duplicate fails.
 */
export interface Enqueuer {
  enqueue(item: NewMessage): Promise<void>;
  drain(): Promise<void>;
}

export function createEnqueuer(
  store: Store,
  /** Told which endpoints got new deliveries, so a dispatcher can skip waking for full lanes. */
  onCommitted: (endpointIds: string[]) => void,
  now: () => number = Date.now,
): Enqueuer {
  type Item = { msg: NewMessage; error?: unknown };
  const batcher = createBatcher<Item>(async (items) => {
    try {
      await store.createMessages(
        items.map((i) => i.msg),
        now(),
      );
    } catch (err) {
      // Only a constraint (a duplicate) is worth retrying one by one; an unavailable database fails them all.
      if (!(err instanceof HookwayError) || err.code === 'database_unavailable' || items.length === 1) throw err;
      for (const item of items) {
        try {
          await store.createMessages([item.msg], now());
        } catch (one) {
          item.error = one;
        }
      }
    }
    onCommitted([...new Set(items.flatMap((i) => i.msg.endpointIds))]);
  });
  return {
    async enqueue(msg) {
      const item: Item = { msg };
      await batcher.add(item);
      if (item.error) throw item.error;
    },
    drain: () => batcher.drain(),
  };
}
