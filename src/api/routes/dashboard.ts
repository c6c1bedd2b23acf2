import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * Serves the dashboard's built files (dist/dashboard, made by `npm run build`)
 * at `/`. The same files serve `/portal` (app-portal links). The directory is
 * found from the package root, so this works from dist/ and from src/ (tests).
 */
export const DASHBOARD_DIR = resolve(import.meta.dirname, '../../../dist/dashboard');

export async function dashboardRoutes(app: FastifyInstance): Promise<void> {
  if (!existsSync(resolve(DASHBOARD_DIR, 'index.html'))) {
    app.get('/', async (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><title>Hookway</title><p>The dashboard is not built. Run <code>npm run build</code>.</p>',
        ),
    );
    return;
  }
  await app.register(fastifyStatic, { root: DASHBOARD_DIR, prefix: '/', wildcard: false, index: ['index.html'] });
  app.get('/portal', async (_request, reply) => reply.sendFile('index.html'));
}
