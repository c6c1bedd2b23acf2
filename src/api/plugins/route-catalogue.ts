import type { FastifyInstance } from 'fastify';

/** Every route the app serves, as registered (method and URL pattern): tests and docs enumerate it. */
export interface RouteEntry {
  method: string;
  url: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    routeCatalogue: RouteEntry[];
  }
}

export function registerRouteCatalogue(app: FastifyInstance): void {
  const routes: RouteEntry[] = [];
  app.decorate('routeCatalogue', routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD' && !routes.some((r) => r.method === method && r.url === route.url)) {
        routes.push({ method, url: route.url });
      }
    }
  });
}
