import type { Context } from '../../context.js';
import { HookwayError } from '../../core/errors.js';
import { normalizeFormat } from '../../core/formats.js';
import { newId } from '../../core/ids.js';
import type { Endpoint } from '../../core/types.js';
import {
  applyEndpointBody,
  checkDestinationFormat,
  checkEndpointUrl,
  checkFilter,
  checkFilterTypes,
  checkHeaders,
  type EndpointBody,
  requestedScheme,
  resolveSecret,
} from './endpoint-input.js';

/**
 * Endpoint writes shared by the application routes (`/api/v1/app/{app}/endpoint`)
 * and the ingest routes (`/ingest/api/v1/source/{source}/endpoint`): an ingest
 * endpoint is an endpoint of the source's own application, so both validate
 * and store a body the same way.
 */

const urlOptions = (ctx: Context) => ({
  allowedTargets: ctx.config.allowedTargets,
  httpsOnly: ctx.config.httpsOnly,
});

/** POST: validates the body and creates the endpoint in `appId`; a uid already in use is a conflict. */
export async function createEndpointFromBody(
  ctx: Context,
  appId: string,
  body: EndpointBody & { url: string },
): Promise<Endpoint> {
  const url = checkEndpointUrl(body.url, urlOptions(ctx));
  checkDestinationFormat(url, body.format);
  checkFilterTypes(body.filterTypes);
  if (body.headers) checkHeaders(body.headers);
  const filter = checkFilter(body.filter) ?? null;
  if (body.uid && (await ctx.store.getEndpoint(appId, body.uid))) {
    throw new HookwayError('conflict', `An endpoint with uid "${body.uid}" already exists.`);
  }
  return ctx.store.createEndpoint(
    {
      id: newId('ep'),
      appId,
      uid: body.uid ?? null,
      url,
      description: body.description ?? '',
      version: body.version ?? 1,
      filterTypes: body.filterTypes ?? null,
      channels: body.channels ?? null,
      disabled: body.disabled ?? false,
      rateLimit: body.rateLimit ?? body.throttleRate ?? null,
      metadata: body.metadata ?? {},
      headers: body.headers ?? {},
      secrets: [{ key: resolveSecret(body.secret, requestedScheme(body, 'hmac')), expiresAt: null }],
      timeoutMs: body.timeoutMs ?? null,
      retrySchedule: body.retrySchedule ?? null,
      format: normalizeFormat(body.format),
      transformation: body.transformation ?? null,
      filter,
      fifo: body.fifo ?? false,
    },
    ctx.now(),
  );
}

/** PUT (every field) and PATCH (`partial`: the given fields); a uid held by another endpoint is a conflict. */
export async function updateEndpointFromBody(
  ctx: Context,
  current: Endpoint,
  body: EndpointBody,
  partial: boolean,
): Promise<Endpoint> {
  if (body.uid && body.uid !== current.uid) {
    const other = await ctx.store.getEndpoint(current.appId, body.uid);
    if (other && other.id !== current.id) throw new HookwayError('conflict', `uid "${body.uid}" is taken.`);
  }
  const next = applyEndpointBody(current, body, partial, urlOptions(ctx));
  const updated = await ctx.store.updateEndpoint(next, ctx.now());
  // Deliveries already waiting for a token at the old rate are re-spaced at the new one, at once.
  if (updated.rateLimit !== current.rateLimit) {
    ctx.signals.rateLimitChanged({
      endpointId: updated.id,
      rateLimit: updated.rateLimit,
      updatedAt: updated.updatedAt,
    });
  }
  return updated;
}

/** PUT replaces the custom headers, PATCH (`merge`) keeps the others; a null value removes a header. */
export async function setEndpointHeaders(
  ctx: Context,
  ep: Endpoint,
  headers: Record<string, string | null>,
  merge: boolean,
): Promise<void> {
  checkHeaders(headers);
  const next: Record<string, string> = merge ? { ...ep.headers } : {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === null) delete next[name];
    else next[name] = value;
  }
  await ctx.store.updateEndpoint({ ...ep, headers: next }, ctx.now());
}
