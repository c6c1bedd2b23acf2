import type { Page } from './types';

/** An error answer from Hookway: `{code, detail}` with the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
  ) {
    super(detail || code || `HTTP ${status}`);
    this.name = 'ApiError';
  }
}

export const isNotFound = (e: unknown): boolean => e instanceof ApiError && (e.status === 404 || e.status === 405);

export type QueryValue = string | number | boolean | string[] | null | undefined;
export type Query = Record<string, QueryValue>;

/** Arrays repeat the key (`event_types=a&event_types=b`), as the Svix API expects. */
export function buildQuery(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, v);
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export interface Api {
  get<T>(path: string, query?: Query): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  put<T>(path: string, body: unknown): Promise<T>;
  patch<T>(path: string, body: unknown): Promise<T>;
  del(path: string, query?: Query): Promise<void>;
  list<T>(path: string, query?: Query): Promise<Page<T>>;
}

/** Path segments are user data (ids, uids, event type names): always encode them. */
export const seg = (value: string): string => encodeURIComponent(value);

function detailText(detail: unknown): string {
  if (typeof detail === 'string') return detail;
  // Svix answers validation errors as a list of {loc, msg}.
  if (Array.isArray(detail)) {
    return detail
      .map((d) =>
        d && typeof d === 'object' && 'msg' in d ? `${(d.loc ?? []).slice(1).join('.')}: ${d.msg}` : String(d),
      )
      .join('; ');
  }
  return detail === undefined ? '' : JSON.stringify(detail);
}

async function toError(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { code?: string; detail?: unknown; message?: string };
    return new ApiError(res.status, body.code ?? `http_${res.status}`, detailText(body.detail ?? body.message));
  } catch {
    return new ApiError(res.status, `http_${res.status}`, text.slice(0, 200) || res.statusText);
  }
}

/**
 * A small fetch wrapper bound to one bearer token. `onUnauthorized` runs on any 401 so the
 * shell can send the user back to sign-in when a token is revoked or expires.
 */
export function createApi(token: string, onUnauthorized: () => void = () => {}, base = ''): Api {
  async function request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${token}` };
    const init: RequestInit = { method, headers };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const res = await fetch(base + path + buildQuery(query), init);
    if (!res.ok) {
      if (res.status === 401) onUnauthorized();
      throw await toError(res);
    }
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
  return {
    get: (path, query) => request('GET', path, undefined, query),
    post: (path, body) => request('POST', path, body ?? {}),
    put: (path, body) => request('PUT', path, body),
    patch: (path, body) => request('PATCH', path, body),
    del: (path, query) => request('DELETE', path, undefined, query),
    list: async <T>(path: string, query?: Query) =>
      normalisePage(await request<unknown>('GET', path, undefined, query)) as Page<T>,
  };
}

/** Lists should be `{data, iterator, done}`; tolerate a bare array so a shape drift never blanks a page. */
function normalisePage(value: unknown): Page<unknown> {
  if (Array.isArray(value)) return { data: value, iterator: null, prevIterator: null, done: true };
  const page = (value ?? {}) as Partial<Page<unknown>>;
  return {
    data: Array.isArray(page.data) ? page.data : [],
    iterator: page.iterator ?? null,
    prevIterator: page.prevIterator ?? null,
    done: page.done ?? !page.iterator,
  };
}

/** Read every page of a short list (event types, endpoints) for pickers. Stops after `max` items. */
export async function listAll<T>(api: Api, path: string, query: Query = {}, max = 1000): Promise<T[]> {
  const out: T[] = [];
  let iterator: string | null = null;
  while (out.length < max) {
    const page: Page<T> = await api.list<T>(path, { ...query, limit: 250, iterator });
    out.push(...page.data);
    if (page.done || !page.iterator || page.data.length === 0) break;
    iterator = page.iterator;
  }
  return out;
}
