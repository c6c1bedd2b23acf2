import vm from 'node:vm';
import type { Message } from '../core/types.js';
import { isReservedHeader } from './request.js';

/**
 * Endpoint transformations: the operator's JavaScript `(msg) => ({ body,
 * headers?, url? })`, run in a fresh node:vm context with a time limit.
 *
 * node:vm is isolation against accidents (an infinite loop, a throw, a typo),
 * not a security boundary: code that means harm can escape a vm context. Only
 * admins may set transformations; treat them like code you deploy.
 *
 * The input goes in, and the result comes out, as JSON text, so no object of
 * the host realm is reachable from the script and nothing of the script's
 * realm (prototypes, getters, promises) runs in ours. A throw, a timeout or a
 * malformed result throws here, which the dispatcher records as a failed
 * attempt.
 */
export interface TransformInput {
  id: string;
  eventType: string;
  payload: unknown;
  timestamp: string;
  channels: string[] | null;
  tags: string[] | null;
  endpoint: { id: string; url: string };
}

export interface TransformResult {
  body: string;
  headers: Record<string, string>;
  url: string | undefined;
}

const scripts = new Map<string, vm.Script>();
const MAX_CACHED = 500;

function compile(source: string): vm.Script {
  let script = scripts.get(source);
  if (!script) {
    script = new vm.Script(`'use strict'; JSON.stringify((${source})(JSON.parse(__input)))`, {
      filename: 'transformation.js',
    });
    if (scripts.size >= MAX_CACHED) scripts.clear();
    scripts.set(source, script);
  }
  return script;
}

export function transformInput(message: Message, endpoint: { id: string; url: string }): TransformInput {
  let payload: unknown;
  try {
    payload = JSON.parse(message.payload);
  } catch {
    payload = message.payload;
  }
  return {
    id: message.id,
    eventType: message.eventType,
    payload,
    timestamp: new Date(message.createdAt).toISOString(),
    channels: message.channels,
    tags: message.tags,
    endpoint,
  };
}

export function runTransformation(source: string, input: TransformInput, timeoutMs: number): TransformResult {
  const context = vm.createContext(
    { __input: JSON.stringify(input) },
    { codeGeneration: { strings: false, wasm: false }, microtaskMode: 'afterEvaluate' },
  );
  let out: unknown;
  try {
    out = compile(source).runInContext(context, { timeout: timeoutMs, breakOnSigint: false });
  } catch (err) {
    // Errors thrown inside the context are of its realm (not `instanceof Error` here): keep the text only.
    const text = typeof err === 'object' && err !== null && 'message' in err ? String(err.message) : String(err);
    throw new Error(`transformation failed: ${text.slice(0, 300)}`);
  }
  if (typeof out !== 'string') throw new Error('transformation must return an object');
  const result = JSON.parse(out) as unknown;
  if (typeof result !== 'object' || result === null || Array.isArray(result)) {
    throw new Error('transformation must return an object');
  }
  const { body, headers, url } = result as { body?: unknown; headers?: unknown; url?: unknown };
  if (body === undefined) throw new Error('transformation result has no body');
  const outHeaders: Record<string, string> = {};
  if (headers !== undefined) {
    if (typeof headers !== 'object' || headers === null) throw new Error('transformation headers must be an object');
    for (const [name, value] of Object.entries(headers)) {
      if (typeof value !== 'string' || /[\r\n\0]/.test(value) || !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) {
        throw new Error(`transformation header "${name.slice(0, 64)}" is invalid`);
      }
      if (!isReservedHeader(name)) outHeaders[name.toLowerCase()] = value;
    }
  }
  if (url !== undefined && typeof url !== 'string') throw new Error('transformation url must be a string');
  return { body: typeof body === 'string' ? body : JSON.stringify(body), headers: outHeaders, url };
}
