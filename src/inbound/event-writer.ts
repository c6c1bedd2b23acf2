import { commitGroup, createBatcher } from '../core/batcher.js';
import { HookwayError } from '../core/errors.js';
import type { Endpoint } from '../core/types.js';
import { type HandOffTarget, handOver, pendingEndpoints, withLease } from '../delivery/hand-off.js';
import type { InboundReceipt, NewInboundEvent, Rejection } from '../store/inbound-port.js';
import type { Store } from '../store/port.js';

/**
 * Writes what `POST /in/{source}` receives, group-committed: the events of
 * concurrent requests, their messages and deliveries commit in one
 * transaction, and each request is answered after the commit that holds it.
 * Dedupe is the unique (source, dedupe key) index, not a pre-check, so a
 * duplicate answers the receipt of the event stored first. A group that
 * fails is committed again one by one, so only the culprit fails. The
 * forwarding deliveries are handed to this node's dispatcher after the commit
 * (delivery/hand-off.ts), as new messages' are.
 */
export interface EventWriter {
  /**
   * Stores one event and its messages; resolves once committed. `endpoints`:
   * the Endpoint objects its messages fan out to, for the hand-off.
   */
  write(event: NewInboundEvent, endpoints?: readonly Endpoint[]): Promise<InboundReceipt>;
  /** Records a request that was refused before storage (bad signature, ...). */
  reject(rejection: Rejection): Promise<void>;
  drain(): Promise<void>;
}

export function createEventWriter(
  store: Pick<Store, 'receiveInbound' | 'recordRejections'>,
  now: () => number,
  /**
   * This node's dispatcher, if it runs one: forwarding deliveries are handed to
   * it after the commit, and it is offered the rest. Without one there is
   * nobody here to wake (other nodes hear of the work through the store).
   */
  target: () => HandOffTarget | null,
): EventWriter {
  type Item = {
    value: NewInboundEvent;
    endpoints: readonly Endpoint[] | undefined;
    receipt?: InboundReceipt;
    error?: unknown;
    settled?: boolean;
  };
  const events = createBatcher<Item>(async (items) => {
    const engine = target();
    const at = now();
    for (const item of items) {
      const messages = item.value.messages.map((m) => withLease(m, item.endpoints, engine, at));
      item.value = { ...item.value, messages };
    }
    // Once per item: its leased deliveries are sent if its event was stored, else their slots given back.
    const settle = (item: Item, receipt: InboundReceipt | null) => {
      if (item.settled) return;
      item.settled = true;
      const created = receipt && !receipt.duplicate ? receipt.leased : null;
      for (const m of item.value.messages) handOver(m, item.endpoints, engine, created, at);
    };
    try {
      await commitGroup(
        items,
        (group) =>
          store.receiveInbound(
            group.map((i) => i.value),
            at,
          ),
        {
          done: (group, receipts) =>
            group.forEach((item, k) => {
              item.receipt = receipts[k];
              settle(item, receipts[k] ?? null);
            }),
          failed: (item, err) => {
            item.error = err;
            settle(item, null);
          },
        },
      );
    } catch (err) {
      for (const item of items) settle(item, null);
      throw err;
    }
    const stored = items.filter((i) => i.receipt && !i.receipt.duplicate).flatMap((i) => i.value.messages);
    const pending = pendingEndpoints(stored);
    if (pending.length > 0) engine?.offer(pending);
  });
  const rejections = createBatcher<Rejection>((rows) => store.recordRejections(rows));

  return {
    async write(value, endpoints) {
      const item: Item = { value, endpoints };
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
