import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Context } from '../../context.js';
import { HookwayError, invalid, notFound } from '../../core/errors.js';
import { compileSchemas } from '../../core/payload-schema.js';
import type { Json } from '../../core/types.js';
import type { EventTypeInput } from '../../store/port.js';
import { requireAdmin } from '../access.js';
import { boolParam, pageRequest, type Query } from '../params.js';
import { eventTypeIn, eventTypeUpdate } from '../schemas.js';
import { eventTypeOut } from '../serialize.js';

interface EventTypeBody {
  name?: string;
  description?: string;
  archived?: boolean;
  deprecated?: boolean;
  schemas?: Record<string, Json> | null;
  featureFlag?: string | null;
  groupName?: string | null;
}

function checkSchemas(schemas: Record<string, Json> | null | undefined): void {
  try {
    compileSchemas(schemas ?? null);
  } catch (err) {
    throw invalid(`schemas is not a valid JSON Schema: ${(err as Error).message}`);
  }
}

/** A whole event type from a body (POST, PUT): a field left out takes its default. */
function eventTypeInput(name: string, body: EventTypeBody): EventTypeInput {
  return {
    name,
    description: body.description ?? '',
    archived: body.archived ?? false,
    deprecated: body.deprecated ?? false,
    schemas: body.schemas ?? null,
    featureFlag: body.featureFlag ?? null,
    groupName: body.groupName ?? null,
  };
}

/** The event type catalogue: global, read by every key, written by admins. */
export function eventTypeRoutes(app: FastifyInstance, ctx: Context): void {
  app.get('/api/v1/event-type', async (request) => {
    const q = request.query as Query;
    const p = await ctx.store.listEventTypes(pageRequest(q), {
      includeArchived: boolParam(q, 'include_archived', false),
    });
    const withContent = boolParam(q, 'with_content', true);
    return { ...p, data: p.data.map((e) => ({ ...eventTypeOut(e), ...(withContent ? {} : { schemas: null }) })) };
  });

  app.post('/api/v1/event-type', { schema: { body: eventTypeIn } }, async (request, reply) => {
    requireAdmin(request);
    const body = request.body as EventTypeBody & { name: string };
    checkSchemas(body.schemas);
    const existing = await ctx.store.getEventType(body.name);
    if (existing && !existing.archived) throw new HookwayError('conflict', `Event type "${body.name}" already exists.`);
    const input = eventTypeInput(body.name, body);
    // Creating an archived name again brings it back, as Svix does.
    const out = existing
      ? await ctx.store.updateEventType(input, ctx.now())
      : await ctx.store.createEventType(input, ctx.now());
    return reply.status(201).send(eventTypeOut(out));
  });

  app.get('/api/v1/event-type/:name', async (request) => {
    const { name } = request.params as { name: string };
    const et = await ctx.store.getEventType(name);
    if (!et) throw notFound('Event type');
    return eventTypeOut(et);
  });

  const update = (partial: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
    requireAdmin(request);
    const { name } = request.params as { name: string };
    const body = request.body as EventTypeBody;
    checkSchemas(body.schemas);
    const current = await ctx.store.getEventType(name);
    if (!current) {
      if (partial) throw notFound('Event type');
      // PUT on a missing event type creates it (Svix's upsert).
      const created = await ctx.store.createEventType(eventTypeInput(name, body), ctx.now());
      return reply.status(201).send(eventTypeOut(created));
    }
    const next: EventTypeInput = partial
      ? {
          ...current,
          ...(body.description !== undefined && { description: body.description }),
          ...(body.archived !== undefined && { archived: body.archived }),
          ...(body.deprecated !== undefined && { deprecated: body.deprecated }),
          ...(body.schemas !== undefined && { schemas: body.schemas }),
          ...(body.featureFlag !== undefined && { featureFlag: body.featureFlag }),
          ...(body.groupName !== undefined && { groupName: body.groupName }),
        }
      : eventTypeInput(name, body);
    return eventTypeOut(await ctx.store.updateEventType(next, ctx.now()));
  };
  app.put('/api/v1/event-type/:name', { schema: { body: eventTypeUpdate } }, update(false));
  app.patch('/api/v1/event-type/:name', { schema: { body: eventTypeUpdate } }, update(true));

  app.delete('/api/v1/event-type/:name', async (request, reply) => {
    requireAdmin(request);
    const { name } = request.params as { name: string };
    const current = await ctx.store.getEventType(name);
    if (!current) throw notFound('Event type');
    if (boolParam(request.query as Query, 'expunge', false)) {
      await ctx.store.deleteEventType(name);
    } else {
      await ctx.store.updateEventType({ ...current, archived: true }, ctx.now());
    }
    return reply.status(204).send();
  });
}
