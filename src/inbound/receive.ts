import { newId } from '../core/ids.js';
import { redactHeaders } from '../core/redact-headers.js';
import type { Endpoint } from '../core/types.js';
import { captureTraceContext } from '../delivery/trace.js';
import type { Source } from '../store/inbound-port.js';
import type { Store } from '../store/port.js';
import { bodyJson, bodyText } from './body.js';
import type { EventWriter } from './event-writer.js';
import { forwardPayload, planForward } from './forward.js';
import { getVerifier } from './providers/index.js';
import type { SourceCache } from './source-cache.js';
import { credentialHeader, verifierType } from './source-config.js';
import type { InboundRequest } from './verify-types.js';

/** How much of a refused request's body is kept, for the operator to see why. */
const BODY_EXCERPT = 1_024;

export type ReceiveOutcome =
  | { kind: 'stored'; id: string; eventType: string; duplicate: boolean }
  | { kind: 'reply'; status: number; body?: unknown }
  | { kind: 'rejected'; reason: string };

export interface ReceiveDeps {
  store: Pick<Store, 'activeEndpoints'>;
  now: () => number;
  sources: SourceCache;
  writer: EventWriter;
}

/**
 * The endpoints an event of `source` may go to: its ingest endpoints, and the
 * endpoints of the application it forwards to. Both come from the store's
 * read cache (store/cache.ts); writes through this node drop it.
 */
export async function forwardTargets(
  store: Pick<Store, 'activeEndpoints'>,
  source: Source,
): Promise<{ ingestEndpoints: Endpoint[]; forwardAppEndpoints: Endpoint[] }> {
  return {
    ingestEndpoints: await store.activeEndpoints(source.appId),
    forwardAppEndpoints: source.forwardAppId ? await store.activeEndpoints(source.forwardAppId) : [],
  };
}

/**
 * One request to `POST /in/{source}`: verified by the source's provider (a
 * pure function), refused and recorded when it fails, answered directly when
 * the provider asks for an answer (a URL challenge), else stored with the
 * messages that forward it. Answers once the event is committed.
 */
export async function receiveEvent(deps: ReceiveDeps, src: Source, req: InboundRequest): Promise<ReceiveOutcome> {
  const type = verifierType(src.type);
  const verifier = type ? getVerifier(type) : undefined;
  const t = deps.now();
  const result = verifier
    ? verifier.verify(req, deps.sources.verifierConfig(src), Math.floor(t / 1000))
    : { ok: false as const, reason: `unsupported source type ${src.type}` };
  const secretHeader = credentialHeader(src.type, src.config);
  if (!result.ok) {
    await deps.writer.reject({
      id: newId('rej', t),
      sourceId: src.id,
      reason: result.reason,
      headers: redactHeaders(req.headers, secretHeader),
      bodyExcerpt: req.rawBody.subarray(0, BODY_EXCERPT).toString('utf8'),
      receivedAt: t,
    });
    return { kind: 'rejected', reason: result.reason };
  }
  if (result.reply) return { kind: 'reply', ...result.reply };

  const id = newId('evt', t);
  const eventType = result.eventType ?? 'unknown';
  const contentType = req.headers['content-type'] ?? null;
  const targets = await forwardTargets(deps.store, src);
  // Without endpoints or a forward application no message is made, and the payload is not needed.
  const forwards = targets.ingestEndpoints.length > 0 || src.forwardAppId !== null;
  const plan = planForward({
    source: src,
    inboundEventId: id,
    eventType,
    payload: forwards ? forwardPayload(req.rawBody, contentType, bodyText(req), bodyJson(req) !== null) : '',
    now: t,
    ...targets,
    // Attempts of the forwarded messages continue the receiving request's trace.
    traceContext: captureTraceContext(),
  });
  const receipt = await deps.writer.write(
    {
      event: {
        id,
        sourceId: src.id,
        // No provider id: nothing to deduplicate on, so the event is its own key.
        dedupeKey: result.providerEventId ?? id,
        providerEventId: result.providerEventId,
        eventType,
        body: req.rawBody,
        contentType,
        headers: redactHeaders(req.headers, secretHeader),
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
    [...targets.ingestEndpoints, ...targets.forwardAppEndpoints],
  );
  return receipt.duplicate
    ? { kind: 'stored', id: receipt.id, eventType: receipt.eventType, duplicate: true }
    : { kind: 'stored', id: receipt.id, eventType, duplicate: false };
}
