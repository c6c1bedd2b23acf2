import type { Cipher } from '../../core/cipher.js';
import type { PageRequest } from '../../core/types.js';
import { fetchOrder } from '../rows.js';
import type { Db } from './db.js';

/** What every entity module receives: the pool, the cipher for secrets, the wake channel. */
export interface Ctx {
  readonly db: Db;
  readonly cipher: Cipher;
  readonly channel: string;
  /** This store's tag in NOTIFY payloads, so its own listener ignores its own wake-ups. */
  readonly nodeTag: string;
}

/**
 * Bound parameters for statements whose WHERE depends on which filters were
 * given. Only fixed SQL fragments are concatenated; every value is bound.
 */
export class Params {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * Text that only looks something up (ids, uids, iterators). PostgreSQL text
 * cannot hold NUL, so binding one would fail the query; swapping it for
 * U+FFFD keeps the answer SQLite gives (not found, or just a bound).
 */
export const lookupKey = (v: string): string => (v.includes('\0') ? v.replaceAll('\0', '\uFFFD') : v);

/** The order a list's rows are fetched in: newest first unless asked otherwise (Svix's default), turned around for a prev page. */
export function pageOrder(page: PageRequest, fallback: 'asc' | 'desc' = 'desc'): 'asc' | 'desc' {
  return fetchOrder(page, fallback);
}

/**
 * Keyset pagination on `column` (ids sort by creation time): the condition
 * that moves past the iterator (null without one) and the ORDER BY/LIMIT
 * tail fetching `limit + 1` rows, the extra one only telling `done`. Any
 * iterator string is just a bound, never an error.
 */
export function keyset(
  page: PageRequest,
  order: 'asc' | 'desc',
  column: string,
  limit: number,
  p: Params,
): { past: string | null; tail: string } {
  const past =
    page.iterator !== undefined && page.iterator !== ''
      ? `${column} ${order === 'asc' ? '>' : '<'} ${p.add(lookupKey(page.iterator))}`
      : null;
  return { past, tail: `ORDER BY ${column} ${order === 'asc' ? 'ASC' : 'DESC'} LIMIT ${p.add(limit + 1)}` };
}

/** `WHERE a AND b ...` from the conditions that apply. */
export function where(conditions: ReadonlyArray<string | null | false | undefined>): string {
  const kept = conditions.filter((c): c is string => typeof c === 'string' && c !== '');
  return kept.length === 0 ? '' : `WHERE ${kept.join(' AND ')}`;
}
