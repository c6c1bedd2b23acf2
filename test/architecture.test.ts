import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layers of src/ and the one direction of imports between them
 * (docs/architecture.md): each layer imports only the layers listed for it,
 * and no chain of imports between files comes back to where it started.
 * Imports are read from the source text (static, type-only, re-exports and
 * dynamic `import()`), so a type-only import counts like any other.
 */
const ROOT = resolve(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');

type Layer =
  | 'core'
  | 'config'
  | 'store'
  | 'delivery'
  | 'context'
  | 'keys'
  | 'log'
  | 'inbound'
  | 'ops'
  | 'api'
  | 'sdk'
  | 'tracing'
  | 'dashboard'
  | 'server'
  | 'cli';

/** Where each file belongs: its folder under src/, or the top-level file itself. */
const LAYER_OF: Record<string, Layer> = {
  core: 'core',
  'config.ts': 'config',
  store: 'store',
  delivery: 'delivery',
  'context.ts': 'context',
  'keys.ts': 'keys',
  log: 'log',
  inbound: 'inbound',
  ops: 'ops',
  api: 'api',
  sdk: 'sdk',
  tracing: 'tracing',
  dashboard: 'dashboard',
  'server.ts': 'server',
  cli: 'cli',
};

const BELOW_SERVICES: Layer[] = ['core', 'config', 'store', 'delivery', 'context'];
const BELOW_API: Layer[] = [...BELOW_SERVICES, 'keys', 'log', 'inbound', 'ops'];

/** What each layer may import besides itself. */
const MAY_IMPORT: Record<Layer, Layer[]> = {
  core: [],
  config: ['core'],
  store: ['core', 'config'],
  delivery: ['core', 'config', 'store'],
  context: ['core', 'config', 'store', 'delivery'],
  keys: ['core', 'store'],
  log: ['core', 'config'],
  inbound: BELOW_SERVICES,
  ops: BELOW_SERVICES,
  api: BELOW_API,
  // What users import, and the browser bundle: never the server's code.
  sdk: ['core'],
  tracing: [],
  dashboard: ['core', 'sdk'],
  server: [...BELOW_API, 'api'],
  cli: [...BELOW_API, 'api', 'server', 'sdk', 'tracing'],
};

/** What src/ops may import of src/delivery: operations publishes its webhooks and observes outcomes. */
const OPS_SEES_OF_DELIVERY = ['delivery/publish.ts', 'delivery/observer.ts'];

const SOURCE = /\.(ts|tsx)$/;
const IMPORT =
  /^\s*(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'dist' ? [] : sourceFiles(p);
    return SOURCE.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** The file a relative specifier names (`./x.js` is `./x.ts` in source; the dashboard omits extensions). */
function resolveSpecifier(from: string, spec: string): string | null {
  const base = resolve(dirname(from), spec);
  const stem = base.replace(/\.js$/, '');
  for (const candidate of [base, `${stem}.ts`, `${stem}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')]) {
    if (SOURCE.test(candidate) && existsSync(candidate)) return candidate;
  }
  return null;
}

interface Graph {
  files: string[];
  /** Imports of each file (paths relative to src/), ours only. */
  edges: Map<string, string[]>;
  unresolved: string[];
}

function readGraph(): Graph {
  const files = sourceFiles(SRC);
  const edges = new Map<string, string[]>();
  const unresolved: string[] = [];
  for (const file of files) {
    const from = relative(SRC, file);
    const to: string[] = [];
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? '';
      if (!spec.startsWith('.')) continue;
      const target = resolveSpecifier(file, spec);
      // A stylesheet or JSON file is not code; a source-looking specifier that resolves nowhere is a reader bug.
      if (target) to.push(relative(SRC, target));
      else if (!/\.(css|json|svg|png|html)$/.test(spec)) unresolved.push(`${from}: ${spec}`);
    }
    edges.set(from, to);
  }
  return { files: files.map((f) => relative(SRC, f)), edges, unresolved };
}

function layerOf(path: string): Layer | undefined {
  return LAYER_OF[path.split('/')[0] ?? ''];
}

/** Strongly connected components of more than one file, or a file importing itself (Tarjan). */
function cycles(edges: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (edges.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('architecture: the import direction of src/', () => {
  const graph = readGraph();

  it('reads every import: static, multi-line, type-only, re-exported and dynamic', () => {
    expect(graph.unresolved).toEqual([]);
    expect(graph.files.length).toBeGreaterThan(200);
    const imports = (file: string) => graph.edges.get(file) ?? [];
    expect(imports('server.ts')).toContain('api/app.ts');
    expect(imports('server.ts')).toContain('context.ts'); // import type { Context }
    expect(imports('cli/serve.ts')).toContain('tracing/sdk.ts'); // await import(...)
    expect(imports('sdk/index.ts')).toContain('sdk/verify.ts'); // export { ... } from
    expect(imports('api/app.ts').length).toBeGreaterThan(30);
    // The reader finds what it is meant to refuse: a fabricated upward import and a cycle.
    const broken = new Map(graph.edges);
    broken.set('core/ids.ts', [...imports('core/ids.ts'), 'core/errors.ts']);
    broken.set('core/errors.ts', [...imports('core/errors.ts'), 'core/ids.ts']);
    expect(cycles(broken)).toContainEqual(['core/errors.ts', 'core/ids.ts']);
  });

  it('puts every file of src/ in a layer', () => {
    expect(graph.files.filter((f) => layerOf(f) === undefined)).toEqual([]);
  });

  it('imports src/api only from src/api, server.ts and src/cli', () => {
    const offenders = [...graph.edges].flatMap(([from, to]) =>
      ['api', 'server', 'cli'].includes(layerOf(from) ?? '')
        ? []
        : to.filter((t) => layerOf(t) === 'api').map((t) => `${from} -> ${t}`),
    );
    expect(offenders).toEqual([]);
  });

  it('keeps core free of imports of ours outside core', () => {
    const offenders = [...graph.edges].flatMap(([from, to]) =>
      layerOf(from) === 'core' ? to.filter((t) => layerOf(t) !== 'core').map((t) => `${from} -> ${t}`) : [],
    );
    expect(offenders).toEqual([]);
  });

  it('imports only downwards, as each layer allows', () => {
    const offenders = [...graph.edges].flatMap(([from, to]) => {
      const layer = layerOf(from);
      if (!layer) return [];
      return to
        .filter((t) => {
          const target = layerOf(t);
          return target !== layer && (!target || !MAY_IMPORT[layer].includes(target));
        })
        .map((t) => `${from} (${layer}) -> ${t} (${layerOf(t)})`);
    });
    expect(offenders).toEqual([]);
  });

  it('lets ops only observe delivery: the publish use-case and the observer interface, nothing of sending', () => {
    // Rate limits, the circuit breaker, 429 pauses, endpoint health and request building are
    // delivery's own; operations watches outcomes through delivery/observer.ts (wired in server.ts).
    const offenders = [...graph.edges].flatMap(([from, to]) =>
      layerOf(from) === 'ops'
        ? to.filter((t) => layerOf(t) === 'delivery' && !OPS_SEES_OF_DELIVERY.includes(t)).map((t) => `${from} -> ${t}`)
        : [],
    );
    expect(offenders).toEqual([]);
    expect(graph.edges.get('ops/observer.ts')).toContain('delivery/observer.ts');
  });

  it('has no import cycle', () => {
    expect(cycles(graph.edges)).toEqual([]);
  });
});
