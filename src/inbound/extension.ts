import type { Context } from '../context.js';
import type { Extension } from '../server.js';
import type { InboundRoutesCtx } from './routes/access.js';
import { ingestEndpointRoutes } from './routes/endpoints.js';
import { inboundEventRoutes } from './routes/events.js';
import { receiveRoutes } from './routes/receive.js';
import { sourceRoutes } from './routes/sources.js';
import { createInboundService, type InboundService } from './service.js';

/**
 * The inbound gateway as a server extension: the receiving route, the
 * Svix-Ingest-shaped API, and a dispatcher hook that keeps each inbound
 * event's status in step with the deliveries forwarding it. One processor
 * per server context, shared by all three.
 */
export function inboundExtension(): Extension {
  const services = new WeakMap<Context, InboundService>();
  const serviceOf = (ctx: Context): InboundService => {
    let s = services.get(ctx);
    if (!s) {
      s = createInboundService({ store: ctx.store, now: ctx.now, wake: ctx.wake, log: ctx.log });
      services.set(ctx, s);
    }
    return s;
  };
  const routesCtx = (api: Context): InboundRoutesCtx => ({ api, inbound: serviceOf(api) });

  return {
    routes: [
      (app, ctx) => receiveRoutes(app, routesCtx(ctx)),
      (app, ctx) => sourceRoutes(app, routesCtx(ctx)),
      (app, ctx) => ingestEndpointRoutes(app, routesCtx(ctx)),
      (app, ctx) => inboundEventRoutes(app, routesCtx(ctx)),
    ],
    dispatcherHooks: (ctx) => serviceOf(ctx).hooks,
    start: async (ctx) => {
      const service = serviceOf(ctx);
      return () => service.drain();
    },
  };
}
