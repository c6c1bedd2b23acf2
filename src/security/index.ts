import type { FastifyInstance } from 'fastify';
import type { Context } from '../context.js';
import { registerAudit } from './audit.js';
import { registerEmptyBody, registerJsonParser } from './json-body.js';
import { registerRateLimits } from './rate-limit.js';
import { registerRouteCatalogue } from './routes.js';
import { registerReadOnly } from './scopes.js';

/**
 * The security layer of the API, registered after authentication and before
 * any route: the route catalogue, the hardened JSON parser, per-key and
 * per-source rate limits, read-only tokens and the audit log.
 */
export function registerSecurity(app: FastifyInstance, ctx: Context): void {
  registerRouteCatalogue(app);
  registerJsonParser(app, { maxDepth: ctx.config.maxJsonDepth });
  registerEmptyBody(app);
  registerRateLimits(app, {
    api: { rate: ctx.config.apiRateLimit, burst: ctx.config.apiRateBurst },
    ingest: { rate: ctx.config.ingestRateLimit, burst: ctx.config.ingestRateBurst },
    now: ctx.now,
  });
  registerReadOnly(app);
  registerAudit(app, { store: ctx.store, log: ctx.log, now: ctx.now });
}
