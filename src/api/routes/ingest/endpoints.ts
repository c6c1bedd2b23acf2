import type { FastifyInstance, FastifyRequest } from 'fastify';
import { notFound } from '../../../core/errors.js';
import { schemeOf, shareableKey } from '../../../core/signing.js';
import type { Endpoint } from '../../../core/types.js';
import { pageRequest, type Query } from '../../params.js';
import { endpointIn, endpointPatch, headersIn } from '../../schemas.js';
import { endpointOut, endpointsOut } from '../../serialize.js';
import { type EndpointBody, resolveSecret } from '../endpoint-input.js';
import { createEndpointFromBody, setEndpointHeaders, updateEndpointFromBody } from '../endpoint-writes.js';
import { type InboundRoutesCtx, loadSource } from './access.js';

/**
 * Ingest endpoints: `/ingest/api/v1/source/{source_id}/endpoint` (Svix
 * Ingest's routes). They are endpoints of the source's own application, so
 * validation, signing, retries, attempts and replay are the outbound engine's.
 * `filterTypes` (a Hookway field here) picks the event types an endpoint gets.
 */
const OLD_SECRET_GRACE_MS = 24 * 3600 * 1000;

export function ingestEndpointRoutes(app: FastifyInstance, ctx: InboundRoutesCtx): void {
  const { api } = ctx;
  const base = '/ingest/api/v1/source/:source_id/endpoint';

  async function loadEndpoint(request: FastifyRequest): Promise<Endpoint> {
    const source = await loadSource(ctx, request, 'write');
    const { endpoint_id } = request.params as { endpoint_id: string };
    const ep = await api.store.getEndpoint(source.appId, endpoint_id);
    if (!ep) throw notFound('Endpoint');
    return ep;
  }

  app.get(base, async (request) => {
    const source = await loadSource(ctx, request, 'write');
    const p = await api.store.listEndpoints(source.appId, pageRequest(request.query as Query));
    return { ...p, data: endpointsOut(p.data, await api.store.endpointHealth(p.data.map((e) => e.id))) };
  });

  app.post(base, { schema: { body: endpointIn } }, async (request, reply) => {
    const source = await loadSource(ctx, request, 'write');
    const body = request.body as EndpointBody & { url: string };
    // Ingest endpoints are created without channels (Svix Ingest has none).
    const ep = await createEndpointFromBody(api, source.appId, { ...body, channels: null });
    ctx.inbound.invalidate();
    return reply.status(201).send(endpointOut(ep));
  });

  app.get(`${base}/:endpoint_id`, async (request) => {
    const ep = await loadEndpoint(request);
    return endpointsOut([ep], await api.store.endpointHealth([ep.id]))[0];
  });

  const update = (partial: boolean) => async (request: FastifyRequest) => {
    const current = await loadEndpoint(request);
    const saved = await updateEndpointFromBody(api, current, request.body as EndpointBody, partial);
    ctx.inbound.invalidate();
    return endpointOut(saved);
  };
  app.put(`${base}/:endpoint_id`, { schema: { body: endpointIn } }, update(false));
  app.patch(`${base}/:endpoint_id`, { schema: { body: endpointPatch } }, update(true));

  app.delete(`${base}/:endpoint_id`, async (request, reply) => {
    const ep = await loadEndpoint(request);
    await api.store.deleteEndpoint(ep.appId, ep.id);
    ctx.inbound.invalidate();
    return reply.status(204).send();
  });

  app.get(`${base}/:endpoint_id/secret`, async (request) => {
    const ep = await loadEndpoint(request);
    const key = ep.secrets[0]?.key;
    return { key: key === undefined ? null : shareableKey(key) };
  });

  // The old secret keeps signing (next to the new one) for 24 hours.
  app.post(`${base}/:endpoint_id/secret/rotate`, async (request, reply) => {
    const ep = await loadEndpoint(request);
    const { key } = (request.body ?? {}) as { key?: string | null };
    const now = api.now();
    const old = ep.secrets.filter((s) => s.expiresAt === null || s.expiresAt > now).slice(0, 9);
    await api.store.updateEndpoint(
      {
        ...ep,
        secrets: [
          { key: resolveSecret(key, key ? schemeOf(key) : schemeOf(ep.secrets[0]?.key)), expiresAt: null },
          ...old.map((s) => ({ key: s.key, expiresAt: s.expiresAt ?? now + OLD_SECRET_GRACE_MS })),
        ],
      },
      now,
    );
    return reply.status(204).send();
  });

  app.get(`${base}/:endpoint_id/headers`, async (request) => {
    const ep = await loadEndpoint(request);
    return { headers: ep.headers, sensitive: [] };
  });

  app.put(`${base}/:endpoint_id/headers`, { schema: { body: headersIn } }, async (request, reply) => {
    const ep = await loadEndpoint(request);
    const { headers } = request.body as { headers: Record<string, string | null> };
    await setEndpointHeaders(api, ep, headers, false);
    return reply.status(204).send();
  });
}
