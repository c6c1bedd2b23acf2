import { HookwayError } from '../core/errors.js';
import type { InboundEvent } from '../store/inbound-port.js';
import type { NewMessage, Store } from '../store/port.js';
import { forwardPayload, planForward } from './forward.js';
import { forwardTargets } from './receive.js';

export interface ReprocessDeps {
  store: Store;
  now: () => number;
  /** Wakes this node's dispatcher after deliveries were queued. */
  wake: () => void;
}

/**
 * Sends an event again to the endpoints that want it now: a delivery that
 * exists is requeued (a manual attempt), a message that was never created
 * (the event was unhandled) is created. Status becomes `forwarded` or
 * `unhandled`; the error is cleared.
 */
export async function reprocessEvent(deps: ReprocessDeps, event: InboundEvent): Promise<InboundEvent['status']> {
  const { store } = deps;
  const src = await store.getSource(event.sourceId);
  if (!src) throw new HookwayError('not_found', 'Source not found.');
  const t = deps.now();
  let queued = 0;
  const patch: { msgId?: string; forwardMsgId?: string } = {};
  const planned = planForward({
    source: src,
    inboundEventId: event.id,
    eventType: event.eventType,
    payload: forwardPayload(event.body, event.contentType),
    now: t,
    ...(await forwardTargets(store, src)),
  });
  const fresh: NewMessage[] = [];
  for (const { message, endpointIds, filterErrors } of planned.messages) {
    // The message's eventId is the inbound event's id: found whatever msg_id says.
    const existing = await store.findMessageByEventId(message.appId, event.id);
    if (existing) {
      for (const endpointId of endpointIds)
        await store.requeueDelivery(message.appId, existing.id, endpointId, t, null);
      queued += endpointIds.length;
      if (message.appId === src.appId) patch.msgId = existing.id;
      else patch.forwardMsgId = existing.id;
    } else {
      fresh.push({ message, endpointIds, filterErrors });
      queued += endpointIds.length;
      if (message.appId === src.appId) patch.msgId = message.id;
      else patch.forwardMsgId = message.id;
    }
  }
  if (fresh.length > 0) await store.createMessages(fresh, t);
  const status = queued > 0 ? 'forwarded' : 'unhandled';
  await store.updateInboundEvent(event.id, { status, error: null, ...patch }, t);
  if (queued > 0) deps.wake();
  return status;
}
