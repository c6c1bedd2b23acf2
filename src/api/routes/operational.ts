import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Context } from '../../context.js';
import { maskCredential } from '../../core/destination-url.js';
import { notFound } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { DEFAULT_GRACE_SECONDS, rotateSecrets } from '../../core/secret-rotation.js';
import { schemeOf, shareableKey } from '../../core/signing.js';
import type { Endpoint } from '../../core/types.js';
import type { OpsState } from '../../ops/state.js';
import { requireAdmin } from '../access.js';
import { pageRequest, type Query } from '../params.js';
import { iso } from '../serialize.js';
import { checkEndpointUrl, checkFilterTypes, checkHeaders, resolveSecret } from './endpoint-input.js';
import { rotateIn } from './endpoint-ops.js';

/**
 * `/api/v1/operational-webhook/endpoint`: Svix's operational webhook
 * endpoint API. The endpoints are those of the internal application (see
 * operational.ts); admin keys only.
 */
const metadata = { type: 'object', additionalProperties: { type: 'string', maxLength: 4096 }, maxProperties: 50 };
const rate = { type: ['integer', 'null'], minimum: 1, maximum: 1_000_000 };
const props = {
  url: { type: 'string', minLength: 1, maxLength: 2048 },
  description: { type: 'string', maxLength: 4096 },
  disabled: { type: 'boolean' },
  filterTypes: { type: ['array', 'null'], items: { type: 'string', minLength: 1, maxLength: 256 }, maxItems: 100 },
  metadata,
  rateLimit: rate,
  throttleRate: rate,
  secret: { type: ['string', 'null'], maxLength: 200 },
  uid: { type: ['string', 'null'], pattern: '^[a-zA-Z0-9\\-_.]+$', minLength: 1, maxLength: 256 },
} as const;
const endpointIn = { type: 'object', required: ['url'], properties: props } as const;

interface OpEndpointBody {
  url: string;
  description?: string;
  disabled?: boolean;
  filterTypes?: string[] | null;
  metadata?: Record<string, string>;
  rateLimit?: number | null;
  throttleRate?: number | null;
  secret?: string | null;
  uid?: string | null;
}

export function operationalEndpointOut(e: Endpoint) {
  return {
    id: e.id,
    uid: e.uid,
    url: maskCredential(e.url),
    description: e.description,
    disabled: e.disabled,
    filterTypes: e.filterTypes,
    metadata: e.metadata,
    rateLimit: e.rateLimit,
    throttleRate: e.rateLimit,
    createdAt: iso(e.createdAt),
    updatedAt: iso(e.updatedAt),
  };
}

export function operationalRoutes(app: FastifyInstance, ctx: Context, state: OpsState): void {
  const base = '/api/v1/operational-webhook/endpoint';
  const urlOpts = { allowedTargets: ctx.config.allowedTargets, httpsOnly: ctx.config.httpsOnly };

  async function load(request: FastifyRequest): Promise<Endpoint> {
    requireAdmin(request);
    const { endpoint_id } = request.params as { endpoint_id: string };
    const internal = await state.op.app();
    const ep = await ctx.store.getEndpoint(internal.id, endpoint_id);
    if (!ep) throw notFound('Endpoint');
    return ep;
  }

  app.get(base, async (request) => {
    requireAdmin(request);
    const internal = await state.op.app();
    const p = await ctx.store.listEndpoints(internal.id, pageRequest(request.query as Query));
    return { ...p, data: p.data.map(operationalEndpointOut) };
  });

  app.post(base, { schema: { body: endpointIn } }, async (request, reply) => {
    requireAdmin(request);
    const internal = await state.op.app();
    const body = request.body as OpEndpointBody;
    checkFilterTypes(body.filterTypes);
    const ep = await ctx.store.createEndpoint(
      {
        id: newId('ep'),
        appId: internal.id,
        uid: body.uid ?? null,
        url: checkEndpointUrl(body.url, urlOpts),
        description: body.description ?? '',
        filterTypes: body.filterTypes ?? null,
        channels: null,
        disabled: body.disabled ?? false,
        rateLimit: body.rateLimit ?? body.throttleRate ?? null,
        metadata: body.metadata ?? {},
        headers: {},
        secrets: [{ key: resolveSecret(body.secret), expiresAt: null }],
        timeoutMs: null,
        retrySchedule: null,
        format: 'standard',
        transformation: null,
        filter: null,
      },
      ctx.now(),
    );
    return reply.status(201).send(operationalEndpointOut(ep));
  });

  app.get(`${base}/:endpoint_id`, async (request) => operationalEndpointOut(await load(request)));

  app.put(`${base}/:endpoint_id`, { schema: { body: endpointIn } }, async (request) => {
    const ep = await load(request);
    const body = request.body as OpEndpointBody;
    checkFilterTypes(body.filterTypes);
    const next = {
      ...ep,
      url: checkEndpointUrl(body.url, urlOpts, ep.url),
      description: body.description ?? '',
      disabled: body.disabled ?? false,
      filterTypes: body.filterTypes ?? null,
      metadata: body.metadata ?? {},
      rateLimit: body.rateLimit ?? body.throttleRate ?? null,
      uid: body.uid ?? null,
    };
    return operationalEndpointOut(await ctx.store.updateEndpoint(next, ctx.now()));
  });

  app.delete(`${base}/:endpoint_id`, async (request, reply) => {
    const ep = await load(request);
    await ctx.store.deleteEndpoint(ep.appId, ep.id);
    return reply.status(204).send();
  });

  app.get(`${base}/:endpoint_id/secret`, async (request) => {
    const key = (await load(request)).secrets[0]?.key;
    return { key: key === undefined ? null : shareableKey(key) };
  });

  app.post(`${base}/:endpoint_id/secret/rotate`, { schema: { body: rotateIn } }, async (request, reply) => {
    const ep = await load(request);
    const body = (request.body ?? {}) as { key?: string | null; gracePeriodSeconds?: number | null };
    const secrets = rotateSecrets(
      ep.secrets,
      resolveSecret(body.key, body.key ? schemeOf(body.key) : schemeOf(ep.secrets[0]?.key)),
      ctx.now(),
      body.gracePeriodSeconds ?? DEFAULT_GRACE_SECONDS,
    );
    await ctx.store.updateEndpoint({ ...ep, secrets }, ctx.now());
    return reply.status(204).send();
  });

  app.get(`${base}/:endpoint_id/headers`, async (request) => ({
    headers: (await load(request)).headers,
    sensitive: [],
  }));

  app.put(
    `${base}/:endpoint_id/headers`,
    {
      schema: {
        body: {
          type: 'object',
          required: ['headers'],
          properties: { headers: { type: 'object', additionalProperties: { type: 'string', maxLength: 4096 } } },
        },
      },
    },
    async (request, reply) => {
      const ep = await load(request);
      const { headers } = request.body as { headers: Record<string, string> };
      checkHeaders(headers);
      await ctx.store.updateEndpoint({ ...ep, headers }, ctx.now());
      return reply.status(204).send();
    },
  );
}
