import { Ajv, type ValidateFunction } from 'ajv';
import type { EventType, Json } from './types.js';

/**
 * Event type schemas (Svix stores them per version: `{"1": {...}}`). The
 * newest version is the one payloads must match. Compiled validators are
 * cached by name and update time, so the hot path compiles nothing.
 */
const ajv = new Ajv({ allErrors: false, strict: false });
const cache = new Map<string, { at: number; validate: ValidateFunction }>();

export function currentSchema(schemas: Record<string, Json> | null): Json | undefined {
  if (!schemas) return undefined;
  const versions = Object.keys(schemas).sort((a, b) => Number(b) - Number(a) || b.localeCompare(a));
  const top = versions[0];
  return top === undefined ? undefined : schemas[top];
}

/** Throws with ajv's message when a schema cannot be compiled. */
export function compileSchemas(schemas: Record<string, Json> | null): ValidateFunction | null {
  const schema = currentSchema(schemas);
  if (schema === undefined || schema === null || typeof schema !== 'object') return null;
  return ajv.compile(schema as object);
}

/** Returns null when the payload matches (or there is no schema), else a readable reason. */
export function checkPayload(eventType: EventType, payload: unknown): string | null {
  if (!eventType.schemas) return null;
  let entry = cache.get(eventType.name);
  if (!entry || entry.at !== eventType.updatedAt) {
    const validate = compileSchemas(eventType.schemas);
    if (!validate) return null;
    entry = { at: eventType.updatedAt, validate };
    cache.set(eventType.name, entry);
  }
  if (entry.validate(payload)) return null;
  const err = entry.validate.errors?.[0];
  return `payload${err?.instancePath ?? ''} ${err?.message ?? 'does not match the schema'}`;
}
