import { commitGroup, createBatcher } from '../core/batcher.js';
import { HookwayError } from '../core/errors.js';
import type { InboundReceipt, NewInboundEvent, Rejection } from '../store/inbound-port.js';
import type { Store } from '../store/port.js';

/**
 * Writes what `POST /in/{source}` receives, group-committed: the events of
 * concurrent requests, their messages and deliveries commit in one
 * transaction, and each request is answered after the commit that holds it.
 * Dedupe is the unique (source, dedupe key) index, not a pre-check, so a
 * duplicate answers the receipt of the event stored first. A group that
 * fails is committed again one by one, so only the culprit fails.
 */
export interface EventWriter {
  /** Stores one event and its messages; resolves once committed. */
  write(event: NewInboundEvent): Promise<InboundReceipt>;
  /** Records a request that was refused before storage (bad signature, ...). */
  reject(rejection: Rejection): Promise<void>;
  drain(): Promise<void>;
}

export function createEventWriter(
  store: Pick<Store, 'receiveInbound' | 'recordRejections'>,
  now: () => number,
  /** Wakes this node's dispatcher after deliveries were queued. */
  wake: () => void,
): EventWriter {
  type Item = { value: NewInboundEvent; receipt?: InboundReceipt; error?: unknown };
  const events = createBatcher<Item>(async (items) => {
    await commitGroup(
      items,
      (group) =>
        store.receiveInbound(
          group.map((i) => i.value),
          now(),
        ),
      {
        done: (group, receipts) =>
          group.forEach((item, k) => {
            item.receipt = receipts[k];
          }),
        failed: (item, err) => {
          item.error = err;
        },
      },
    );
    if (items.some((i) => i.value.messages.some((m) => m.endpointIds.length > 0))) wake();
  });
  const rejections = createBatcher<Rejection>((rows) => store.recordRejections(rows));

  return {
    async write(value) {
      const item: Item = { value };
      await events.add(item);
      if (item.error) throw item.error;
      if (!item.receipt) throw new HookwayError('internal', 'The event was not stored.');
      return item.receipt;
    },
    reject: (rejection) => rejections.add(rejection),
    async drain() {
      await events.drain();
      await rejections.drain();
    },
  };
}
