import { Environment } from '@marcbachmann/cel-js';

/**
 * Payload filters: an endpoint's `filter` is a CEL expression over the
 * message (`payload`, `eventType`, `channels`) that must answer true for the
 * endpoint to get the message. Pure: compile and evaluate, no I/O.
 *
 * Cost is bounded before anything runs, so one tenant's filter cannot stall
 * fan-out for everyone:
 * - the expression is short and its syntax tree small and shallow (parse limits);
 * - the body of a comprehension (`all`, `exists`, `map`, ...) may only use its
 *   own iteration variable, so each step touches one element and a nested
 *   comprehension walks a part of that element: every comprehension visits
 *   each part of the payload at most once, and evaluation is linear in
 *   expression size times payload size, never quadratic;
 * - `matches` (regular expressions) is refused: JavaScript's engine backtracks
 *   without bound on some patterns.
 */

export const MAX_FILTER_LENGTH = 2048;

const LIMITS = { maxAstNodes: 256, maxDepth: 32, maxListElements: 100, maxMapEntries: 100, maxCallArguments: 8 };
const COMPREHENSIONS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);
const FORBIDDEN_CALLS: Record<string, string> = {
  matches: 'matches() is not available in filters (regular expressions can take unbounded time)',
};

const env = new Environment({ limits: LIMITS })
  .registerVariable('payload', 'dyn')
  .registerVariable('eventType', 'string')
  .registerVariable('channels', 'list<string>');

/** What a filter sees of a message. `payload` is the parsed JSON (see parsePayload). */
export interface FilterInput {
  payload: unknown;
  eventType: string;
  channels: readonly string[];
}

export type FilterVerdict = { pass: boolean; error?: undefined } | { pass: false; error: string };

export interface CompiledFilter {
  readonly source: string;
  evaluate(input: FilterInput): FilterVerdict;
}

/** A filter that does not compile; `position` is the 0-based offset in the expression, when known. */
export class FilterCompileError extends Error {
  readonly position: number | null;
  constructor(message: string, position: number | null) {
    // The library appends a source excerpt with a caret; the offset says the same on one line.
    super(message.split('\n')[0] ?? message);
    this.name = 'FilterCompileError';
    this.position = position;
  }
}

interface AstNode {
  op: string;
  args: unknown;
  pos?: number;
}

const isNode = (v: unknown): v is AstNode =>
  typeof v === 'object' && v !== null && typeof (v as AstNode).op === 'string';

/** Refuses the shapes whose cost is not linear (see the module comment). */
function checkCost(node: AstNode, scope: ReadonlySet<string> | null): void {
  if (node.op === 'id' && scope && !scope.has(String(node.args))) {
    throw new FilterCompileError(
      `inside all()/exists()/map()/filter() only the iteration variable may be used, not "${String(node.args)}"`,
      node.pos ?? null,
    );
  }
  if (node.op === 'rcall' || node.op === 'call') {
    const args = node.args as unknown[];
    const name = String(args[0]);
    const forbidden = FORBIDDEN_CALLS[name];
    if (forbidden) throw new FilterCompileError(forbidden, node.pos ?? null);
    if (node.op === 'rcall' && COMPREHENSIONS.has(name)) {
      // receiver.all(var, body...): the receiver is evaluated in the enclosing scope,
      // the body once per element and only over that element.
      const [, receiver, rest] = args as [string, unknown, unknown[]];
      const [declared, ...bodies] = rest.filter(isNode);
      if (isNode(receiver)) checkCost(receiver, scope);
      const vars = new Set(declared?.op === 'id' ? [String(declared.args)] : []);
      for (const body of bodies) checkCost(body, vars);
      return;
    }
  }
  walk(node.args, (child) => checkCost(child, scope));
}

function walk(v: unknown, visit: (n: AstNode) => void): void {
  if (isNode(v)) visit(v);
  else if (Array.isArray(v)) for (const x of v) walk(x, visit);
}

/** The CEL library's messages carry a source excerpt with a caret; the offset is on the node. */
function positionOf(err: unknown): number | null {
  const node = (err as { node?: { pos?: unknown } }).node;
  return typeof node?.pos === 'number' ? node.pos : null;
}

/** Compiles and checks a filter; throws FilterCompileError with the reason and where. */
export function compileFilter(source: string): CompiledFilter {
  if (source.trim() === '') throw new FilterCompileError('the filter is empty', 0);
  if (source.length > MAX_FILTER_LENGTH) {
    throw new FilterCompileError(`the filter is longer than ${MAX_FILTER_LENGTH} characters`, MAX_FILTER_LENGTH);
  }
  let program: ReturnType<typeof env.parse>;
  try {
    program = env.parse(source);
  } catch (err) {
    throw new FilterCompileError((err as Error).message, positionOf(err));
  }
  checkCost(program.ast as unknown as AstNode, null);
  const checked = program.check();
  if (!checked.valid)
    throw new FilterCompileError(checked.error?.message ?? 'the filter does not type-check', positionOf(checked.error));
  if (checked.type !== 'bool' && checked.type !== 'dyn') {
    throw new FilterCompileError(`the filter must answer a bool, not ${checked.type}`, 0);
  }
  return {
    source,
    evaluate(input) {
      try {
        const result = program({ payload: input.payload, eventType: input.eventType, channels: [...input.channels] });
        if (typeof result !== 'boolean')
          return { pass: false, error: `the filter answered ${describe(result)}, not a bool` };
        return { pass: result };
      } catch (err) {
        return { pass: false, error: firstLine(err) };
      }
    },
  };
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'bigint') return 'an int';
  if (Array.isArray(v)) return 'a list';
  return `a ${typeof v === 'object' ? 'map' : typeof v}`;
}

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return (message.split('\n')[0] ?? message).slice(0, 500);
}

/**
 * JSON numbers that are whole become CEL ints, the rest doubles, so both
 * `payload.count % 2 == 0` and `payload.price < 9.99` work as written.
 */
export function parsePayload(json: string): unknown {
  return JSON.parse(json, (_key, v) => (typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : v));
}

const cache = new Map<string, CompiledFilter>();
const CACHE_SIZE = 1000;

/** compileFilter, remembered by source: fan-out evaluates the same few filters over and over. */
export function cachedFilter(source: string): CompiledFilter {
  let f = cache.get(source);
  if (!f) {
    f = compileFilter(source);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(source, f);
  }
  return f;
}
