import type { HandOffTarget } from '../delivery/hand-off.js';
import type { DeliveryObserver } from '../delivery/observer.js';
import type { InboundEvent, Source } from '../store/inbound-port.js';
import type { Store } from '../store/port.js';
import { createEventWriter } from './event-writer.js';
import { type ReceiveOutcome, receiveEvent } from './receive.js';
import { reprocessEvent } from './reprocess.js';
import { createSourceCache } from './source-cache.js';
import { createStatusSettler } from './status-settler.js';
import type { InboundRequest } from './verify-types.js';

export type { ReceiveOutcome } from './receive.js';

/**
 * The inbound processor: verify, deduplicate, store and queue, then keep each
 * event's status in step with its deliveries. Each step is its own file:
 *
 * - source-cache.ts: sources read on the hot path, cached for a second;
 * - receive.ts: one request to `POST /in/{source}`, verified and planned;
 * - event-writer.ts: events, their messages and deliveries group-committed,
 *   so a 200 means stored and queued;
 * - reprocess.ts: an event sent again to the endpoints that want it now;
 * - status-settler.ts: the event's status following its deliveries.
 */
export interface InboundServiceDeps {
  store: Store;
  now: () => number;
  /** Wakes this node's dispatcher after work was queued. */
  wake: () => void;
  /** This node's dispatcher, if it runs one: forwarding deliveries are handed to it after the commit. */
  handOff: () => HandOffTarget | null;
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

export interface InboundService {
  /** A source by id or uid, cached briefly. */
  source(idOrUid: string): Promise<Source | null>;
  receive(source: Source, req: InboundRequest): Promise<ReceiveOutcome>;
  reprocess(event: InboundEvent): Promise<InboundEvent['status']>;
  /** Forget cached reads after this node changed a source or its endpoints. */
  invalidate(): void;
  /** Marks each event after the attempts of its messages (wired to the dispatcher in server.ts). */
  observer: DeliveryObserver;
  drain(): Promise<void>;
}

export function createInboundService(deps: InboundServiceDeps): InboundService {
  const { store, now } = deps;
  const sources = createSourceCache(store, now);
  const writer = createEventWriter(store, now, deps.handOff);
  const settler = createStatusSettler(store, now, deps.log);
  return {
    source: (idOrUid) => sources.get(idOrUid),
    receive: (src, req) => receiveEvent({ store, now, sources, writer }, src, req),
    reprocess: (event) => reprocessEvent(deps, event),
    invalidate: () => sources.clear(),
    observer: { onAttempt: settler.onAttempt },
    async drain() {
      await writer.drain();
      await settler.flush();
    },
  };
}
