import type { Json } from '../../../core/types.js';
import { publicConfig, svixTypeName, verifierType } from '../../../inbound/source-config.js';
import type { InboundEvent, Rejection, Source } from '../../../store/inbound-port.js';

/** Inbound domain objects -> API JSON (Svix Ingest's shapes, plus Hookway fields). */
const iso = (ms: number): string => new Date(ms).toISOString();

export function sourceOut(s: Source, publicUrl: string) {
  return {
    id: s.id,
    uid: s.uid,
    name: s.name,
    // A name svix@1's client knows; the real one is hookwayType.
    type: svixTypeName(s.type),
    config: publicConfig(s.config) as Record<string, Json>,
    ingestUrl: `${publicUrl}/in/${s.id}`,
    metadata: s.metadata,
    createdAt: iso(s.createdAt),
    updatedAt: iso(s.updatedAt),
    // Hookway extensions
    hookwayType: verifierType(s.type) ?? s.type,
    appId: s.appId,
    forwardToApp: s.forwardAppId,
    bodyLimit: s.bodyLimit,
  };
}

export function inboundEventOut(e: InboundEvent, detail = false) {
  const base = {
    id: e.id,
    sourceId: e.sourceId,
    eventId: e.providerEventId,
    eventType: e.eventType,
    status: e.status,
    error: e.error,
    attempts: e.attempts,
    msgId: e.msgId,
    forwardMsgId: e.forwardMsgId,
    contentType: e.contentType,
    receivedAt: iso(e.receivedAt),
    updatedAt: iso(e.updatedAt),
  };
  if (!detail) return base;
  return {
    ...base,
    headers: e.headers,
    body: e.body.toString('utf8'),
    bodyBase64: e.body.toString('base64'),
    size: e.body.length,
  };
}

export function rejectionOut(r: Rejection) {
  return {
    id: r.id,
    sourceId: r.sourceId,
    reason: r.reason,
    headers: r.headers,
    bodyExcerpt: r.bodyExcerpt,
    receivedAt: iso(r.receivedAt),
  };
}
