import { createBatcher } from '../core/batcher.js';
import { maskCredential } from '../core/destination-url.js';
import { HookwayError } from '../core/errors.js';
import { hasPrefix, newId } from '../core/ids.js';
import type { DeliveryObserver } from '../delivery/observer.js';
import { captureTraceContext } from '../delivery/trace.js';
import type { InboundEvent, InboundReceipt, NewInboundEvent, Rejection, Source } from '../store/inbound-port.js';
import type { NewMessage, Store } from '../store/port.js';
import { forwardPayload, planForward } from './forward.js';
import { getVerifier } from './providers/index.js';
import { redactHeaders, toVerifierConfig, verifierType } from './source-config.js';
import type { InboundRequest, SourceConfig } from './verify-types.js';

/**
 * The inbound processor: verify, deduplicate, store and queue, then keep each
 * event's status in step with its deliveries.
 *
 * Hot path of `POST /in/{source}`: the source (cached here for CACHE_MS) and
 * the ingest endpoints (the store's read cache, store/cache.ts) come from
 * short caches (this node's own changes drop them at once, other nodes' apply
 * within a second), the verifier is a pure function, and
 * the write is group-committed: the events of concurrent requests, their
 * messages and deliveries commit in one transaction, and each request is
 * answered after the commit that holds it. A 200 therefore means stored and
 * queued; dedupe is the unique (source, dedupe key) index, not a pre-check.
 */
const CACHE_MS = 1_000;
const BODY_EXCERPT = 1_024;
const SETTLE_MS = 200;

export interface InboundServiceDeps {
  store: Store;
  now: () => number;
  /** Wakes this node's dispatcher after work was queued. */
  wake: () => void;
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

export type ReceiveOutcome =
  | { kind: 'stored'; id: string; eventType: string; duplicate: boolean }
  | { kind: 'reply'; status: number; body?: unknown }
  | { kind: 'rejected'; reason: string };

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

interface Cached<T> {
  value: T;
  at: number;
}

export function createInboundService(deps: InboundServiceDeps): InboundService {
  const { store, now, log } = deps;
  const sources = new Map<string, Cached<Source | null>>();
  const verifyConfigs = new WeakMap<Source, SourceConfig>();

  async function source(idOrUid: string): Promise<Source | null> {
    const hit = sources.get(idOrUid);
    const t = now();
    if (hit && t - hit.at < CACHE_MS) return hit.value;
    const value = await store.getSource(idOrUid);
    if (sources.size > 10_000) sources.clear();
    sources.set(idOrUid, { value, at: t });
    return value;
  }

  function verifyConfig(s: Source): SourceConfig {
    let c = verifyConfigs.get(s);
    if (!c) {
      c = toVerifierConfig(s.type, s.config);
      verifyConfigs.set(s, c);
    }
    return c;
  }

  // Group commit of received events (see enqueue.ts): a batch that fails is
  // retried one by one so only the culprit fails.
  type Item = { value: NewInboundEvent; receipt?: InboundReceipt; error?: unknown };
  const receiver = createBatcher<Item>(async (items) => {
    try {
      const receipts = await store.receiveInbound(
        items.map((i) => i.value),
        now(),
      );
      items.forEach((item, k) => {
        item.receipt = receipts[k];
      });
    } catch (err) {
      if (items.length === 1) throw err;
      for (const item of items) {
        try {
          [item.receipt] = await store.receiveInbound([item.value], now());
        } catch (one) {
          item.error = one;
        }
      }
    }
    if (items.some((i) => i.value.messages.some((m) => m.endpointIds.length > 0))) deps.wake();
  });

  const rejector = createBatcher<Rejection>((rows) => store.recordRejections(rows));

  // Status follows deliveries: every committed attempt of an inbound message
  // marks its event for a recount. Marks are collected for SETTLE_MS and
  // settled in one transaction (one statement per message): the status lags
  // the attempt log by that much, and the hot path pays one commit for many
  // attempts instead of one per attempt.
  const pending = new Map<string, string | undefined>();
  let timer: NodeJS.Timeout | null = null;
  let settling: Promise<void> = Promise.resolve();
  function settleNow(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    if (pending.size === 0) return settling;
    const batch = [...pending];
    pending.clear();
    const errors: Record<string, string> = {};
    for (const [msgId, error] of batch) if (error) errors[msgId] = error;
    settling = settling
      .then(() =>
        store.settleInbound(
          batch.map(([msgId]) => msgId),
          errors,
          now(),
        ),
      )
      .catch((err) => log.warn({ err }, 'could not settle inbound event status'));
    return settling;
  }
  function markForSettle(msgId: string, error?: string): void {
    pending.set(msgId, error ?? pending.get(msgId));
    if (!timer) {
      timer = setTimeout(() => void settleNow(), SETTLE_MS);
      timer.unref();
    }
  }

  async function receive(src: Source, req: InboundRequest): Promise<ReceiveOutcome> {
    const type = verifierType(src.type);
    const verifier = type ? getVerifier(type) : undefined;
    const t = now();
    const result = verifier
      ? verifier.verify(req, verifyConfig(src), Math.floor(t / 1000))
      : { ok: false as const, reason: `unsupported source type ${src.type}` };
    const extraRedact = src.type === 'api-key' ? [String(src.config.header ?? 'x-api-key').toLowerCase()] : [];
    if (!result.ok) {
      await rejector.add({
        id: newId('rej', t),
        sourceId: src.id,
        reason: result.reason,
        headers: redactHeaders(req.headers, extraRedact),
        bodyExcerpt: req.rawBody.subarray(0, BODY_EXCERPT).toString('utf8'),
        receivedAt: t,
      });
      return { kind: 'rejected', reason: result.reason };
    }
    if (result.reply) return { kind: 'reply', ...result.reply };

    const id = newId('evt', t);
    const eventType = result.eventType ?? 'unknown';
    const contentType = req.headers['content-type'] ?? null;
    const plan = planForward({
      source: src,
      eventId: id,
      eventType,
      payload: forwardPayload(req.rawBody, contentType),
      now: t,
      // The store's read cache (store/cache.ts) keeps the fan-out set; writes through this node drop it.
      ingestEndpoints: await store.activeEndpoints(src.appId),
      forwardEndpoints: src.forwardAppId ? await store.activeEndpoints(src.forwardAppId) : [],
      // Attempts of the forwarded messages continue the receiving request's trace.
      traceContext: captureTraceContext(),
    });
    const item: Item = {
      value: {
        event: {
          id,
          sourceId: src.id,
          // No provider id: nothing to deduplicate on, so the event is its own key.
          dedupeKey: result.eventId ?? id,
          eventId: result.eventId,
          eventType,
          body: req.rawBody,
          contentType,
          headers: redactHeaders(req.headers, extraRedact),
          status: plan.deliveries > 0 ? 'forwarded' : 'unhandled',
          error: null,
          attempts: 0,
          msgId: plan.msgId,
          forwardMsgId: plan.forwardMsgId,
          receivedAt: t,
          updatedAt: t,
        },
        messages: plan.messages,
      },
    };
    await receiver.add(item);
    if (item.error) throw item.error;
    const receipt = item.receipt;
    if (!receipt) throw new HookwayError('internal', 'The event was not stored.');
    return receipt.duplicate
      ? { kind: 'stored', id: receipt.id, eventType: receipt.eventType, duplicate: true }
      : { kind: 'stored', id: receipt.id, eventType, duplicate: false };
  }

  /**
   * Sends an event again to the endpoints that want it now: a delivery that
   * exists is requeued (a manual attempt), a message that was never created
   * (the event was unhandled) is created. Status becomes `forwarded` or
   * `unhandled`; the error is cleared.
   */
  async function reprocess(event: InboundEvent): Promise<InboundEvent['status']> {
    const src = await store.getSource(event.sourceId);
    if (!src) throw new HookwayError('not_found', 'Source not found.');
    const t = now();
    let queued = 0;
    const patch: { msgId?: string; forwardMsgId?: string } = {};
    const planned = planForward({
      source: src,
      eventId: event.id,
      eventType: event.eventType,
      payload: forwardPayload(event.body, event.contentType),
      now: t,
      ingestEndpoints: await store.activeEndpoints(src.appId),
      forwardEndpoints: src.forwardAppId ? await store.activeEndpoints(src.forwardAppId) : [],
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

  const observer: DeliveryObserver = {
    onAttempt(result, claimed, send) {
      const eventId = claimed.message.eventId;
      if (!eventId || !hasPrefix(eventId, 'evt')) return;
      const failed = result.update.kind === 'failed' || result.update.kind === 'failed_and_disable';
      let error: string | undefined;
      if (failed) {
        const why = send.errorDetail ?? (send.statusCode ? `HTTP ${send.statusCode}` : (send.errorKind ?? 'error'));
        error =
          `Delivery to ${maskCredential(claimed.endpoint.url)} failed after ${claimed.delivery.attempts + 1} attempts: ${why}`.slice(
            0,
            1000,
          );
      }
      markForSettle(claimed.message.id, error);
    },
  };

  return {
    source,
    receive,
    reprocess,
    invalidate() {
      sources.clear();
    },
    observer,
    async drain() {
      await receiver.drain();
      await rejector.drain();
      await settleNow();
    },
  };
}
