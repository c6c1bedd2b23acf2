import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';

/**
 * GET /openapi.json is generated from the routes the server registers, so it
 * stays complete as features land. Checked here: the document is OpenAPI
 * 3.1 in shape, every embedded schema compiles as JSON Schema 2020-12 (the
 * 3.1 dialect), and every registered route is in it.
 *
 * Documented exclusions (docs/sdk.md): the automatic HEAD twins of GET
 * routes, the Swagger UI under /docs, /openapi.json itself, and the
 * dashboard's pages and static files (`/`, `/portal`, files with an extension).
 */
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options'] as const;

/** Every `METHOD /path` Fastify knows, read from printRoutes' tree. */
function registeredRoutes(app: FastifyInstance): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([\s│├└─]*)(\S.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m?.[2]) continue;
    const depth = Math.floor((m[1] ?? '').length / 4);
    stack.length = depth;
    stack[depth] = m[2];
    const path = stack.join('');
    for (const method of (m[3] ?? '').split(', ').filter(Boolean)) out.push(`${method} ${path}`);
  }
  return out;
}

function excluded(route: string): boolean {
  const [method, path = ''] = route.split(' ');
  if (method === 'HEAD') return true;
  if (path === '/openapi.json' || path === '/docs' || path.startsWith('/docs/')) return true;
  const api = path.startsWith('/api/') || path.startsWith('/ingest/') || path.startsWith('/in/') || path === '/metrics';
  return !api && (path === '/' || path === '/portal' || /\.[a-z0-9]+$/i.test(path) || path.startsWith('/assets/'));
}

const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

describe('OpenAPI document', () => {
  let server: TestServer;
  let doc: any;

  beforeAll(async () => {
    server = await startTestServer();
    const res = await fetch(`${server.url}/openapi.json`);
    expect(res.status).toBe(200);
    doc = await res.json();
  });
  afterAll(async () => {
    await server.close();
  });

  it('is OpenAPI 3.1 with operations, responses and declared path parameters', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title).toBe('Hookway API');
    expect(typeof doc.info.version).toBe('string');
    expect(doc.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer' });
    const operationIds = new Set<string>();
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      expect(path.startsWith('/')).toBe(true);
      const ops = METHODS.filter((m) => item[m]);
      expect(ops.length, path).toBeGreaterThan(0);
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((x) => x[1]);
      for (const m of ops) {
        const op = item[m];
        expect(Object.keys(op.responses ?? {}).length, `${m} ${path}`).toBeGreaterThan(0);
        const declared = (op.parameters ?? []).filter((p: any) => p.in === 'path').map((p: any) => p.name);
        expect(declared.sort(), `${m} ${path} path parameters`).toEqual([...templated].sort());
        if (op.operationId) {
          expect(operationIds.has(op.operationId), `duplicate operationId ${op.operationId}`).toBe(false);
          operationIds.add(op.operationId);
        }
      }
    }
  });

  it('every embedded schema is valid JSON Schema 2020-12', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const schemas: Array<[string, unknown]> = [];
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const m of METHODS) {
        const op = item[m];
        if (!op) continue;
        for (const p of op.parameters ?? []) if (p.schema) schemas.push([`${m} ${path} ${p.name}`, p.schema]);
        for (const c of Object.values<any>(op.requestBody?.content ?? {}))
          schemas.push([`${m} ${path} body`, c.schema]);
        for (const [code, r] of Object.entries<any>(op.responses ?? {})) {
          for (const c of Object.values<any>(r.content ?? {}))
            if (c.schema) schemas.push([`${m} ${path} ${code}`, c.schema]);
        }
      }
    }
    expect(schemas.length).toBeGreaterThan(20);
    for (const [where, schema] of schemas) {
      expect(() => ajv.compile(schema as object), where).not.toThrow();
    }
  });

  it('contains every route the server registers (except the documented exclusions)', () => {
    const routes = registeredRoutes(server.hw.api as FastifyInstance);
    expect(routes).toContain('POST /api/v1/app/:app_id/msg');
    const missing = routes
      .filter((r) => !excluded(r))
      .filter((r) => {
        const [method = '', path = ''] = r.split(' ');
        return !doc.paths[toOpenApiPath(path)]?.[method.toLowerCase()];
      });
    expect(missing).toEqual([]);
    // And nothing in the document that the server does not serve.
    const served = new Set(routes.map((r) => r.replace(/:([A-Za-z0-9_]+)/g, '{$1}')));
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const m of METHODS) if (item[m]) expect(served.has(`${m.toUpperCase()} ${path}`), `${m} ${path}`).toBe(true);
    }
  });

  it('serves /docs locally and without a token', async () => {
    const page = await fetch(`${server.url}/docs/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('swagger-ui');
    expect(html).not.toMatch(/https?:\/\/(cdn|unpkg|cdnjs)/);
    const bundle = await fetch(`${server.url}/docs/static/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
  });
});
