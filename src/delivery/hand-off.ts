import { newId } from '../core/ids.js';
import { type Endpoint, TriggerType } from '../core/types.js';
import type { NewMessage } from '../store/port.js';
import { liveSecrets } from '../store/rows.js';
import type { HandOff } from './dispatcher.js';

/**
 * Hand-off after commit, for both write paths that create deliveries: new
 * messages (enqueue.ts) and inbound events with their forwarding messages
 * (inbound/event-writer.ts). Before the commit, each delivery whose lane has
 * room is leased to this node in the same transaction (`withLease`); after
 * it, the deliveries that were created are handed to the dispatcher in memory
 * and the slots of the rest given back (`handOver`), so no claim statement or
 * re-read of message and endpoint is needed. What got no slot is created
 * pending and announced with `offer`, for claims.
 */
export interface HandOffTarget extends HandOff {
  /** New pending deliveries were committed for these endpoints. */
  offer(endpointIds: readonly string[]): void;
}

/** The message with its deliveries to `endpoints` leased to this node where their lanes have room. */
export function withLease(
  msg: NewMessage,
  endpoints: readonly Endpoint[] | undefined,
  engine: HandOffTarget | null,
  at: number,
): NewMessage {
  if (!engine || !endpoints) return msg;
  const ids = new Map<string, string>();
  for (const ep of endpoints) {
    // A disabled endpoint's deliveries wait in the queue until it is enabled again; a FIFO
    // endpoint's go through claims, which keep their order (the store refuses to lease them anyway).
    if (ep.disabled || ep.fifo || !msg.endpointIds.includes(ep.id)) continue;
    if (engine.reserve(ep.id)) ids.set(ep.id, newId('dlv', at));
  }
  return ids.size > 0 ? { ...msg, leased: { ids, until: at + engine.leaseMs } } : msg;
}

/**
 * After the commit: each leased delivery in `created` (the store's answer) is
 * sent from memory; the others (not created, or `created` null: nothing
 * committed) give their lane slot back.
 */
export function handOver(
  msg: NewMessage,
  endpoints: readonly Endpoint[] | undefined,
  engine: HandOffTarget | null,
  created: ReadonlySet<string> | null,
  at: number,
): void {
  const leased = msg.leased;
  if (!engine || !leased) return;
  for (const [endpointId, deliveryId] of leased.ids) {
    const endpoint = endpoints?.find((e) => e.id === endpointId);
    if (!created?.has(deliveryId) || !endpoint) {
      engine.cancel(endpointId);
      continue;
    }
    const { message } = msg;
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

/** The endpoints these committed messages left pending deliveries for (not leased): for `offer`. */
export function pendingEndpoints(msgs: Iterable<NewMessage>): string[] {
  const pending = new Set<string>();
  for (const msg of msgs) {
    for (const id of msg.endpointIds) if (!msg.leased?.ids.has(id)) pending.add(id);
  }
  return [...pending];
}
