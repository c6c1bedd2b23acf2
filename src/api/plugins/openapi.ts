import { readFileSync } from 'node:fs';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/**
 * `GET /openapi.json` (OpenAPI 3.1) and `/docs` (Swagger UI, assets served
 * from node_modules; nothing is loaded from a CDN). @fastify/swagger runs in
 * dynamic mode: it collects every route registered after it through an
 * onRoute hook, so every route appears without anyone editing
 * a spec by hand. It must therefore be registered before any route.
 *
 * Left out on purpose: the Swagger UI assets, /openapi.json itself and the
 * dashboard's pages and static files (every path outside /api, /ingest, /in
 * and /metrics); test/openapi.test.ts checks that
 * every other registered route is in the document.
 */
export const OPENAPI_PATH = '/openapi.json';
export const DOCS_PREFIX = '/docs';

/** The package version (src/ and dist/ sit at the same depth under the package root). */
function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export async function registerOpenApi(app: FastifyInstance, version = packageVersion()): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Hookway API',
        version,
        description:
          'Self-hosted webhook gateway. The outbound API follows Svix v1; `/ingest/api/v1` is the inbound gateway. Authenticate with `Authorization: Bearer <token>`.',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      },
      security: [{ bearer: [] }],
    },
    // Group operations by the first path segment after the API prefix (app, event-type, source...).
    transform: ({ schema, url, route }) => {
      const tag = tagOf(url);
      const s = { ...(schema ?? {}) } as Record<string, unknown>;
      // The dashboard's pages (`/`, `/portal`) and static files are not API.
      if (!isApiPath(url)) return { schema: { ...s, hide: true } as typeof schema, url };
      if (!s.tags && tag) s.tags = [tag];
      if (!s.operationId && typeof route.method === 'string') s.operationId = operationId(route.method, url);
      // Routes read their path parameters by hand; OpenAPI requires each `{name}` to be declared.
      const names = [...url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1] as string);
      if (names.length > 0 && !s.params) {
        s.params = {
          type: 'object',
          required: names,
          properties: Object.fromEntries(names.map((n) => [n, { type: 'string', description: idDescription(n) }])),
        };
      }
      return { schema: s as typeof schema, url };
    },
  });
  await app.register(swaggerUi, {
    routePrefix: DOCS_PREFIX,
    staticCSP: true,
    uiConfig: { deepLinking: true, persistAuthorization: true },
  });
  app.get(OPENAPI_PATH, { schema: { hide: true } }, async () => app.swagger());
}

export function isApiPath(url: string): boolean {
  return /^\/(api|ingest)\//.test(url) || url.startsWith('/in/') || url === '/metrics';
}

function idDescription(name: string): string {
  if (name === 'app_id') return 'Application id (app_...) or uid.';
  if (name === 'endpoint_id') return 'Endpoint id (ep_...) or uid.';
  if (name === 'msg_id') return 'Message id (msg_...) or eventId.';
  return name.replace(/_/g, ' ');
}

function tagOf(url: string): string | undefined {
  const rest = url.replace(/^\/(ingest\/)?api\/v1\//, '');
  if (rest === url) return url.split('/')[1] || undefined;
  return rest.split('/')[0];
}

/** `GET /api/v1/app/:app_id/msg` -> `get_app_msg`; stable, readable and unique per route. */
export function operationId(method: string, url: string): string {
  const parts = url
    .replace(/^\/(ingest\/)?api\/v1\//, (m) => (m.startsWith('/ingest') ? 'ingest/' : ''))
    .split('/')
    .filter((p) => p && !p.startsWith(':') && !p.startsWith('{'))
    .map((p) => p.replace(/[^a-zA-Z0-9]+/g, '_'));
  const params = url.split('/').filter((p) => p.startsWith(':')).length;
  return [method.toLowerCase(), ...parts, ...(params > 0 ? [`p${params}`] : [])].join('_');
}
