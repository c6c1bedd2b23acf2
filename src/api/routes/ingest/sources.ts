import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Context } from '../../../context.js';
import { HookwayError, invalid, notFound } from '../../../core/errors.js';
import { newId } from '../../../core/ids.js';
import type { Json } from '../../../core/types.js';
import { OPENAI_EVENT_TYPES } from '../../../inbound/openai-catalogue.js';
import {
  DEFAULT_BODY_LIMIT,
  MAX_BODY_LIMIT,
  resolveSourceType,
  validateSourceConfig,
  verifierType,
} from '../../../inbound/source-config.js';
import type { Source, SourceInput } from '../../../store/inbound-port.js';
import { requireAdmin } from '../../access.js';
import { pageRequest, type Query } from '../../params.js';
import { type InboundRoutesCtx, loadSource, readableSourceIds } from './access.js';
import { sourceOut } from './serialize.js';

/**
 * Sources: `/ingest/api/v1/source` (Svix Ingest's routes and shapes, so
 * svix@1's `ingest.source` client works). Creating a source also creates the
 * application that holds its ingest endpoints (uid `source.<source_id>`,
 * metadata `hookway.source`); deleting the source deletes it. Hookway
 * extension fields: `forwardToApp` (an application id or uid that receives
 * every event as a message too) and `bodyLimit` (bytes, default 1 MiB).
 */
interface SourceBody {
  name: string;
  uid?: string | null;
  type: string;
  hookwayType?: string | null;
  config?: Record<string, Json>;
  metadata?: Record<string, string>;
  forwardToApp?: string | null;
  bodyLimit?: number | null;
}

const sourceIn = {
  type: 'object',
  required: ['name', 'type'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 256 },
    uid: { type: ['string', 'null'], pattern: '^[a-zA-Z0-9\\-_.]+$', minLength: 1, maxLength: 256 },
    type: { type: 'string', minLength: 1, maxLength: 64 },
    hookwayType: { type: ['string', 'null'], minLength: 1, maxLength: 64 },
    config: { type: 'object', maxProperties: 30 },
    metadata: { type: 'object', additionalProperties: { type: 'string', maxLength: 4096 }, maxProperties: 50 },
    forwardToApp: { type: ['string', 'null'], minLength: 1, maxLength: 256 },
    bodyLimit: { type: ['integer', 'null'], minimum: 1024, maximum: MAX_BODY_LIMIT },
  },
} as const;

async function resolveForwardApp(ctx: Context, ref: string | null | undefined): Promise<string | null> {
  if (!ref) return null;
  const app = await ctx.store.getApp(ref);
  if (!app) throw invalid(`forwardToApp: application "${ref.slice(0, 64)}" not found.`);
  return app.id;
}

/** OpenAI's catalogue as event types, once; types that exist are left as they are. */
async function preloadOpenAiTypes(ctx: Context): Promise<void> {
  for (const et of OPENAI_EVENT_TYPES) {
    if (await ctx.store.getEventType(et.name)) continue;
    await ctx.store
      .createEventType(
        {
          name: et.name,
          description: et.description,
          schemas: null,
          archived: false,
          deprecated: false,
          featureFlag: null,
          groupName: 'openai',
        },
        ctx.now(),
      )
      .catch((err: unknown) => {
        // Another request created it meanwhile: that is the goal.
        if (!(err instanceof HookwayError && err.code === 'conflict')) throw err;
      });
  }
}

export function sourceRoutes(app: FastifyInstance, ctx: InboundRoutesCtx): void {
  const { api } = ctx;
  const base = '/ingest/api/v1/source';
  const out = (s: Source) => sourceOut(s, api.config.publicUrl);

  app.get(base, async (request) => {
    const readable = readableSourceIds(request);
    if (readable !== null) {
      const own = (await Promise.all(readable.map((id) => api.store.getSource(id)))).filter((s) => s !== null);
      return { data: own.map(out), iterator: null, prevIterator: null, done: true };
    }
    const p = await api.store.listSources(pageRequest(request.query as Query));
    return { ...p, data: p.data.map(out) };
  });

  app.post(base, { schema: { body: sourceIn } }, async (request, reply) => {
    requireAdmin(request);
    const body = request.body as SourceBody;
    const { type, config } = resolveSourceType(body, null);
    validateSourceConfig(type, config);
    if (body.uid && (await api.store.getSource(body.uid))) {
      throw new HookwayError('conflict', `A source with uid "${body.uid}" already exists.`);
    }
    const forwardAppId = await resolveForwardApp(api, body.forwardToApp);
    const now = api.now();
    const id = newId('src', now);
    const holder = await api.store.createApp(
      {
        id: newId('app', now),
        uid: `source.${id}`,
        name: `Source: ${body.name}`.slice(0, 256),
        rateLimit: null,
        metadata: { 'hookway.source': id },
      },
      now,
    );
    const input: SourceInput = {
      id,
      uid: body.uid ?? null,
      name: body.name,
      type,
      config,
      appId: holder.id,
      forwardAppId,
      bodyLimit: body.bodyLimit ?? DEFAULT_BODY_LIMIT,
      metadata: body.metadata ?? {},
    };
    let source: Source;
    try {
      source = await api.store.createSource(input, now);
    } catch (err) {
      await api.store.deleteApp(holder.id).catch(() => {});
      throw err;
    }
    if (verifierType(source.type) === 'openai') await preloadOpenAiTypes(api);
    ctx.inbound.invalidate();
    return reply.status(201).send(out(source));
  });

  app.get(`${base}/:source_id`, async (request) => out(await loadSource(ctx, request, 'read')));

  const update = async (request: FastifyRequest) => {
    const current = await loadSource(ctx, request, 'write');
    const body = request.body as SourceBody;
    const { type, config } = resolveSourceType(body, current);
    validateSourceConfig(type, config);
    if (body.uid && body.uid !== current.uid) {
      const other = await api.store.getSource(body.uid);
      if (other && other.id !== current.id) throw new HookwayError('conflict', `uid "${body.uid}" is taken.`);
    }
    const next: SourceInput = {
      ...current,
      name: body.name,
      uid: body.uid ?? null,
      type,
      config,
      metadata: body.metadata ?? {},
      // Extensions a Svix client does not know are kept when left out.
      forwardAppId:
        body.forwardToApp === undefined ? current.forwardAppId : await resolveForwardApp(api, body.forwardToApp),
      bodyLimit: body.bodyLimit ?? current.bodyLimit,
    };
    const saved = await api.store.updateSource(next, api.now());
    if (verifierType(saved.type) === 'openai' && verifierType(current.type) !== 'openai') await preloadOpenAiTypes(api);
    ctx.inbound.invalidate();
    return out(saved);
  };
  app.put(`${base}/:source_id`, { schema: { body: sourceIn } }, update);

  app.delete(`${base}/:source_id`, async (request, reply) => {
    const source = await loadSource(ctx, request, 'write');
    await api.store.deleteSource(source.id);
    await api.store.deleteApp(source.appId);
    ctx.inbound.invalidate();
    return reply.status(204).send();
  });

  // Svix's token rotation re-issues a tokenised ingest URL; Hookway's ingest URL carries no token.
  app.post(`${base}/:source_id/token/rotate`, async (request) => {
    const source = await loadSource(ctx, request, 'write');
    if (!source) throw notFound('Source');
    return { ingestUrl: out(source).ingestUrl };
  });
}
