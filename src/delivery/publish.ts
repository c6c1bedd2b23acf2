import type { Span } from '@opentelemetry/api';
import { HookwayError } from '../core/errors.js';
import { fanOut } from '../core/fanout.js';
import { newId } from '../core/ids.js';
import { checkPayload } from '../core/payload-schema.js';
import type { Application, Message } from '../core/types.js';
import type { Store } from '../store/port.js';
import type { Enqueuer } from './enqueue.js';
import { captureTraceContext, inSpan } from './trace.js';

/** A message as its publisher describes it (the API's body, an operational event). */
export interface PublishInput {
  eventType: string;
  eventId?: string | null;
  payload: Record<string, unknown>;
  channels?: string[] | null;
  tags?: string[] | null;
}

export interface PublishDeps {
  store: Store;
  enqueuer: Enqueuer;
  now: () => number;
}

/**
 * Publishes a message: validates it, fans it out to the matching endpoints and
 * commits message and deliveries together. Resolves only after the commit, so
 * the 202 that follows means the message cannot be lost. Used by the API's
 * create-message route and by operational webhooks.
 */
export function publishMessage(deps: PublishDeps, app: Application, input: PublishInput): Promise<Message> {
  return inSpan('message.create', { 'hookway.app.id': app.id, 'hookway.event_type': input.eventType }, (span) =>
    publish(deps, app, input, span),
  );
}

async function publish(deps: PublishDeps, app: Application, input: PublishInput, span: Span): Promise<Message> {
  const eventType = await deps.store.getEventType(input.eventType);
  if (eventType?.schemas) {
    const problem = checkPayload(eventType, input.payload);
    if (problem) throw new HookwayError('schema_mismatch', `${problem} (event type ${eventType.name}).`);
  }
  if (input.eventId && (await deps.store.findMessageByEventId(app.id, input.eventId))) {
    throw new HookwayError('conflict', `A message with eventId "${input.eventId}" already exists.`);
  }
  const now = deps.now();
  const message: Message = {
    id: newId('msg', now),
    appId: app.id,
    eventType: input.eventType,
    eventId: input.eventId ?? null,
    payload: JSON.stringify(input.payload),
    channels: input.channels ?? null,
    tags: input.tags ?? null,
    createdAt: now,
    // Attempts continue this span's trace, whenever and wherever they run.
    traceContext: captureTraceContext(),
  };
  span.setAttribute('hookway.message.id', message.id);
  const endpoints = await deps.store.activeEndpoints(app.id);
  const { endpointIds, filterErrors } = await inSpan('message.fan-out', {}, async (fan) => {
    const out = fanOut(endpoints, message);
    fan.setAttributes({
      'hookway.fanout.candidates': endpoints.length,
      'hookway.fanout.endpoints': out.endpointIds.length,
      'hookway.fanout.filter_errors': out.filterErrors.length,
    });
    return out;
  });
  const chosen = new Set(endpointIds);
  const targets = endpoints.filter((e) => chosen.has(e.id));
  await deps.enqueuer.enqueue({ message, endpointIds, filterErrors }, targets);
  return message;
}
