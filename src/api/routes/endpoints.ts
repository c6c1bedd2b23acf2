import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Context } from '../../context.js';
import { notFound } from '../../core/errors.js';
import { shareableKey } from '../../core/signing.js';
import type { Endpoint } from '../../core/types.js';
import { loadApp } from '../access.js';
import { pageRequest, type Query } from '../params.js';
import { endpointIn, endpointPatch, headersIn } from '../schemas.js';
import { endpointOut, endpointsOut } from '../serialize.js';
import type { EndpointBody } from './endpoint-input.js';
import { createEndpointFromBody, setEndpointHeaders, updateEndpointFromBody } from './endpoint-writes.js';

export async function loadEndpoint(ctx: Context, request: FastifyRequest): Promise<Endpoint> {
  const { app_id, endpoint_id } = request.params as { app_id: string; endpoint_id: string };
  const app = await loadApp(ctx, request, app_id);
  const ep = await ctx.store.getEndpoint(app.id, endpoint_id);
  if (!ep) throw notFound('Endpoint');
  return ep;
}

/** Endpoints as the API shows them, with the status their failure streaks (store/ops-port.ts) give. */
export async function endpointsWithStatus(ctx: Context, eps: readonly Endpoint[]) {
  return endpointsOut(eps, await ctx.store.endpointHealth(eps.map((e) => e.id)));
}

export function endpointRoutes(app: FastifyInstance, ctx: Context): void {
  const base = '/api/v1/app/:app_id/endpoint';

  app.get(base, async (request) => {
    const { app_id } = request.params as { app_id: string };
    const application = await loadApp(ctx, request, app_id);
    const p = await ctx.store.listEndpoints(application.id, pageRequest(request.query as Query));
    return { ...p, data: await endpointsWithStatus(ctx, p.data) };
  });

  app.post(base, { schema: { body: endpointIn } }, async (request, reply) => {
    const { app_id } = request.params as { app_id: string };
    const application = await loadApp(ctx, request, app_id);
    const ep = await createEndpointFromBody(ctx, application.id, request.body as EndpointBody & { url: string });
    return reply.status(201).send(endpointOut(ep));
  });

  app.get(`${base}/:endpoint_id`, async (request) => {
    const ep = await loadEndpoint(ctx, request);
    return (await endpointsWithStatus(ctx, [ep]))[0];
  });

  const update = (partial: boolean) => async (request: FastifyRequest) => {
    const current = await loadEndpoint(ctx, request);
    return endpointOut(await updateEndpointFromBody(ctx, current, request.body as EndpointBody, partial));
  };
  app.put(`${base}/:endpoint_id`, { schema: { body: endpointIn } }, update(false));
  app.patch(`${base}/:endpoint_id`, { schema: { body: endpointPatch } }, update(true));

  app.delete(`${base}/:endpoint_id`, async (request, reply) => {
    const ep = await loadEndpoint(ctx, request);
    await ctx.store.deleteEndpoint(ep.appId, ep.id);
    return reply.status(204).send();
  });

  app.get(`${base}/:endpoint_id/secret`, async (request) => {
    const ep = await loadEndpoint(ctx, request);
    // An ed25519 endpoint answers its public key: the signing key never leaves Hookway.
    const key = ep.secrets[0]?.key;
    return { key: key === undefined ? null : shareableKey(key) };
  });

  app.get(`${base}/:endpoint_id/headers`, async (request) => {
    const ep = await loadEndpoint(ctx, request);
    return { headers: ep.headers, sensitive: [] };
  });

  const setHeaders = (merge: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
    const ep = await loadEndpoint(ctx, request);
    const { headers } = request.body as { headers: Record<string, string | null> };
    await setEndpointHeaders(ctx, ep, headers, merge);
    return reply.status(204).send();
  };
  app.put(`${base}/:endpoint_id/headers`, { schema: { body: headersIn } }, setHeaders(false));
  app.patch(`${base}/:endpoint_id/headers`, { schema: { body: headersIn } }, setHeaders(true));
}
