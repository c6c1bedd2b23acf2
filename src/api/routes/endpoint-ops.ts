import type { FastifyInstance } from 'fastify';
import type { Context } from '../../context.js';
import { invalid } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { DEFAULT_GRACE_SECONDS, MAX_GRACE_SECONDS, rotateSecrets } from '../../core/secret-rotation.js';
import { type SigningScheme, schemeOf } from '../../core/signing.js';
import type { Json, Message } from '../../core/types.js';
import type { OpsState } from '../../ops/state.js';
import { messageOut } from '../serialize.js';
import { requestedScheme, resolveSecret } from './endpoint-input.js';
import { loadEndpoint } from './endpoints.js';

/** Test delivery (send-example) and secret rotation, Svix's routes and shapes. */
export const PING_EVENT = 'svix.ping';

const exampleIn = {
  type: 'object',
  required: ['eventType'],
  properties: {
    eventType: { type: 'string', minLength: 1, maxLength: 256 },
    exampleIndex: { type: 'integer', minimum: 0, maximum: 100 },
  },
} as const;

export const rotateIn = {
  type: 'object',
  properties: {
    key: { type: ['string', 'null'], maxLength: 200 },
    gracePeriodSeconds: { type: ['integer', 'null'], minimum: 0, maximum: MAX_GRACE_SECONDS },
    signing: { type: 'string', enum: ['hmac', 'ed25519'] },
  },
} as const;

/** The example payload of an event type: `svix.ping` is built in; others come from their schema's `examples`. */
async function examplePayload(ctx: Context, eventType: string, index: number): Promise<Json> {
  if (eventType === PING_EVENT) return { success: true };
  const et = await ctx.store.getEventType(eventType);
  if (!et) throw invalid(`Event type "${eventType}" does not exist.`);
  const versions = Object.keys(et.schemas ?? {}).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const schema = et.schemas?.[v] as { examples?: Json[] } | null | undefined;
    const example = schema?.examples?.[index];
    if (example !== undefined) return example;
  }
  throw invalid(`Event type "${eventType}" has no example at index ${index}.`);
}

export function endpointOpsRoutes(app: FastifyInstance, ctx: Context, state: OpsState): void {
  const base = '/api/v1/app/:app_id/endpoint/:endpoint_id';

  /** Publishes a message to this endpoint only; the attempt shows the result. */
  app.post(`${base}/send-example`, { schema: { body: exampleIn } }, async (request, reply) => {
    const ep = await loadEndpoint(ctx, request);
    const body = request.body as { eventType: string; exampleIndex?: number };
    const payload = await examplePayload(ctx, body.eventType, body.exampleIndex ?? 0);
    const now = ctx.now();
    const message: Message = {
      id: newId('msg', now),
      appId: ep.appId,
      eventType: body.eventType,
      eventId: null,
      payload: JSON.stringify(payload),
      channels: null,
      tags: null,
      createdAt: now,
    };
    await ctx.enqueuer.enqueue({ message, endpointIds: [ep.id] }, [ep]);
    state.metrics.messagesCreated('example');
    return reply.status(202).send(messageOut(message));
  });

  app.post(`${base}/secret/rotate`, { schema: { body: rotateIn } }, async (request, reply) => {
    const ep = await loadEndpoint(ctx, request);
    const body = (request.body ?? {}) as {
      key?: string | null;
      gracePeriodSeconds?: number | null;
      signing?: SigningScheme;
    };
    // A new key of the endpoint's scheme unless told otherwise; the old key keeps signing through the grace period.
    const key = resolveSecret(body.key, requestedScheme(body, schemeOf(ep.secrets[0]?.key)));
    const secrets = rotateSecrets(ep.secrets, key, ctx.now(), body.gracePeriodSeconds ?? DEFAULT_GRACE_SECONDS);
    await ctx.store.updateEndpoint({ ...ep, secrets }, ctx.now());
    request.log.info({ endpointId: ep.id, kept: secrets.length - 1 }, 'endpoint secret rotated');
    return reply.status(204).send();
  });
}
