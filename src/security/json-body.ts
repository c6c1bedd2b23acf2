import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import { HookwayError } from '../core/errors.js';

/**
 * The JSON body parser, replacing Fastify's: it also refuses invalid UTF-8
 * and nesting deeper than `maxDepth`, which a hostile body would use to make
 * every later recursive walk (schema validation, transformations) expensive
 * or overflow the stack. The depth check is one pass that hops between
 * structural characters and skips string contents with indexOf, so it costs
 * far less than the JSON.parse that follows. Prototype poisoning is refused
 * as Fastify's parser does (`__proto__`, `constructor.prototype`).
 */

const STRUCTURAL = /[[\]{}"]/g;

/** The deepest nesting in `text`, stopping early once it passes `limit`. Not a validator: JSON.parse is. */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  STRUCTURAL.lastIndex = 0;
  for (let m = STRUCTURAL.exec(text); m !== null; m = STRUCTURAL.exec(text)) {
    const c = text.charCodeAt(m.index);
    if (c === 34 /* " */) {
      // Skip to the closing quote: one not preceded by an odd number of backslashes.
      let end = m.index;
      for (;;) {
        end = text.indexOf('"', end + 1);
        if (end === -1) return false; // unterminated string: JSON.parse reports it
        let backslashes = 0;
        for (let i = end - 1; text.charCodeAt(i) === 92; i--) backslashes++;
        if (backslashes % 2 === 0) break;
      }
      STRUCTURAL.lastIndex = end + 1;
    } else if (c === 91 || c === 123 /* [ { */) {
      if (++depth > limit) return true;
    } else {
      depth--;
    }
  }
  return false;
}

const SUSPECT = /__proto__|constructor|\\u/;

/** Throws when a parsed value has an own `__proto__` key or a `constructor` holding `prototype`. */
function rejectPoisoning(value: unknown): void {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (const item of v) stack.push(item);
      continue;
    }
    if (Object.hasOwn(v, '__proto__')) throw new HookwayError('invalid_json', 'The body has a forbidden "__proto__" key.');
    const ctor = (v as Record<string, unknown>).constructor;
    if (Object.hasOwn(v, 'constructor') && ctor !== null && typeof ctor === 'object' && Object.hasOwn(ctor, 'prototype')) {
      throw new HookwayError('invalid_json', 'The body has a forbidden "constructor.prototype" key.');
    }
    for (const key in v) stack.push((v as Record<string, unknown>)[key]);
  }
}

export function parseJsonBody(body: Buffer, maxDepth: number): unknown {
  if (body.length === 0) throw new HookwayError('invalid_json', 'The JSON body is empty.');
  if (!isUtf8(body)) throw new HookwayError('invalid_json', 'The request body is not valid UTF-8.');
  const text = body.toString('utf8');
  if (jsonDepthExceeds(text, maxDepth)) {
    throw new HookwayError('invalid_json', `The JSON body is nested deeper than ${maxDepth} levels.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new HookwayError('invalid_json', `The request body is not valid JSON: ${(err as Error).message}`);
  }
  if (SUSPECT.test(text)) rejectPoisoning(value);
  return value;
}

export function registerJsonParser(app: FastifyInstance, opts: { maxDepth: number }): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as Buffer, opts.maxDepth));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}
