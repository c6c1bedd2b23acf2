import { commitGroup, createBatcher } from '../core/batcher.js';
import { HookwayError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { type Endpoint, TriggerType } from '../core/types.js';
import type { NewMessage, Store } from '../store/port.js';
import { liveSecrets } from '../store/rows.js';
import type { HandOff } from './dispatcher.js';

/**
 * The write path of "create message": messages that arrive together are
 * committed in one transaction. If one of them breaks a unique constraint
 * (a duplicate eventId racing its twin), the batch is retried one by one so
 * only the duplicate fails.
 *
 * Hand-off: when this node runs a dispatcher and the caller passes the
 * endpoints it fanned out to, each delivery whose lane has room is leased to
 * this node in the same transaction and handed to the dispatcher in memory
 * after the commit (no claim statement, no re-read of message and endpoint).
 * The rest are created pending and announced with `offer`, for claims.
 */
export interface Enqueuer {
  /** `endpoints`: the fan-out set's Endpoint objects, when the caller has them (enables hand-off). */
  enqueue(item: NewMessage, endpoints?: readonly Endpoint[]): Promise<void>;
  drain(): Promise<void>;
}

export interface EnqueueTarget extends HandOff {
  /** New pending deliveries were committed for these endpoints. */
  offer(endpointIds: readonly string[]): void;
}

export function createEnqueuer(
  store: Store,
  /** This node's dispatcher, if it runs one (read at each commit: it starts after the API is wired). */
  target: () => EnqueueTarget | null,
  now: () => number = Date.now,
): Enqueuer {
  type Item = { msg: NewMessage; endpoints: readonly Endpoint[] | undefined; error?: unknown };

  /** Reserves lane slots for the batch's deliveries; what gets none stays pending. */
  function lease(items: Item[], engine: EnqueueTarget | null, at: number): void {
    if (!engine) return;
    const until = at + engine.leaseMs;
    for (const item of items) {
      if (!item.endpoints) continue;
      const ids = new Map<string, string>();
      for (const ep of item.endpoints) {
        // A disabled endpoint's deliveries wait in the queue until it is enabled again; a FIFO
        // endpoint's go through claims, which keep their order (the store refuses to lease them anyway).
        if (ep.disabled || ep.fifo || !item.msg.endpointIds.includes(ep.id)) continue;
        if (engine.reserve(ep.id)) ids.set(ep.id, newId('dlv', at));
      }
      if (ids.size > 0) item.msg = { ...item.msg, leased: { ids, until } };
    }
  }

  function settle(item: Item, engine: EnqueueTarget | null, created: ReadonlySet<string> | null, at: number): void {
    const leased = item.msg.leased;
    if (!engine || !leased) return;
    for (const [endpointId, deliveryId] of leased.ids) {
      const endpoint = item.endpoints?.find((e) => e.id === endpointId);
      if (!created?.has(deliveryId) || !endpoint) {
        engine.cancel(endpointId);
        continue;
      }
      const { message } = item.msg;
      engine.accept({
        delivery: {
          id: deliveryId,
          msgId: message.id,
          endpointId,
          appId: message.appId,
          status: 'sending',
          attempts: 0,
          nextAttemptAt: at,
          leaseUntil: leased.until,
          createdAt: at,
          updatedAt: at,
        },
        message,
        endpoint: { ...endpoint, secrets: liveSecrets(endpoint.secrets, at) },
        triggerType: TriggerType.scheduled,
        parentAttemptId: null,
      });
    }
  }

  const batcher = createBatcher<Item>(async (items) => {
    const engine = target();
    const at = now();
    lease(items, engine, at);
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
    const pending = new Set<string>();
    for (const { msg } of items) {
      for (const id of msg.endpointIds) if (!msg.leased?.ids.has(id)) pending.add(id);
    }
    if (pending.size > 0) engine?.offer([...pending]);
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
