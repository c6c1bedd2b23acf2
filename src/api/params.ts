import { HookwayError, invalid } from '../core/errors.js';
import type { PageRequest } from '../core/types.js';

/**
 * Query-string parsing. Query values arrive as strings (or arrays when
 * repeated); each helper turns one into a typed value or a precise 422.
 */
export type Query = Record<string, string | string[] | undefined>;

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 250;

function one(q: Query, name: string): string | undefined {
  const v = q[name];
  if (Array.isArray(v)) return v[v.length - 1];
  return v;
}

export function pageRequest(q: Query, defaults: { limit?: number; max?: number } = {}): PageRequest {
  const raw = one(q, 'limit');
  const max = defaults.max ?? MAX_LIMIT;
  let limit = defaults.limit ?? DEFAULT_LIMIT;
  if (raw !== undefined && raw !== '') {
    if (!/^\d+$/.test(raw)) throw invalid('limit must be a positive integer.');
    limit = Number(raw);
    if (limit < 1 || limit > max) throw invalid(`limit must be between 1 and ${max}.`);
  }
  const iterator = one(q, 'iterator');
  if (iterator !== undefined && iterator.length > 256) throw invalid('iterator is too long.');
  const order = one(q, 'order');
  if (order !== undefined && order !== 'ascending' && order !== 'descending') {
    throw invalid('order must be ascending or descending.');
  }
  // `-{id}` is a prevIterator (Svix's form): the page before the one that starts at `{id}`.
  const prev = iterator !== undefined && iterator.length > 1 && iterator.startsWith('-');
  return {
    limit,
    iterator: (prev ? iterator.slice(1) : iterator) || undefined,
    order: order === 'ascending' ? 'asc' : 'desc',
    ...(prev && { prev }),
  };
}

export function dateParam(q: Query, name: string): number | undefined {
  const raw = one(q, name);
  if (raw === undefined || raw === '') return undefined;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw invalid(`${name} must be an ISO 8601 date-time.`);
  return ms;
}

export function listParam(q: Query, name: string): string[] | undefined {
  const v = q[name];
  if (v === undefined) return undefined;
  const parts = (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).filter(Boolean);
  if (parts.length > 100) throw invalid(`${name} has too many values.`);
  return parts.length > 0 ? parts : undefined;
}

export function boolParam(q: Query, name: string, fallback: boolean): boolean {
  const raw = one(q, name);
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw invalid(`${name} must be true or false.`);
}

export function intParam(q: Query, name: string, min: number, max: number): number | undefined {
  const raw = one(q, name);
  if (raw === undefined || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw)) throw invalid(`${name} must be an integer.`);
  const n = Number(raw);
  if (n < min || n > max) throw invalid(`${name} must be between ${min} and ${max}.`);
  return n;
}

export function stringParam(q: Query, name: string, max = 256): string | undefined {
  const raw = one(q, name);
  if (raw === undefined || raw === '') return undefined;
  if (raw.length > max) throw new HookwayError('validation', `${name} is too long.`);
  return raw;
}
