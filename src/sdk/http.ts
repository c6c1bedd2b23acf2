/**
 * The transport of the SDK: global fetch, a bearer token, JSON in and out,
 * and one error type. Nothing here knows the routes.
 */
import { deadline } from '../core/deadline.js';

export class HookwayApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;

  constructor(status: number, code: string, detail: string, options?: { cause?: unknown }) {
    super(`${status} ${code}: ${detail}`, options);
    this.name = 'HookwayApiError';
    this.status = status;
    this.code = code;
    this.detail = detail;
  }
}

export type QueryValue = string | number | boolean | null | undefined | readonly string[];
export type Query = Record<string, QueryValue>;

export interface RequestOptions {
  query?: Query | undefined;
  body?: unknown;
  /** Sent as `Idempotency-Key` (POST only); a retried request then gets the first answer. */
  idempotencyKey?: string | undefined;
  headers?: Record<string, string> | undefined;
  signal?: AbortSignal | undefined;
}

export interface HttpOptions {
  serverUrl: string;
  token: string;
  fetch?: typeof fetch;
  /** Per-request timeout; 0 disables it. Default 30 s. */
  timeoutMs?: number;
  userAgent?: string;
}

export class Http {
  private readonly base: string;
  private readonly doFetch: typeof fetch;

  constructor(private readonly opts: HttpOptions) {
    this.base = opts.serverUrl.replace(/\/+$/, '');
    this.doFetch = opts.fetch ?? globalThis.fetch;
  }

  url(path: string, query?: Query): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v === undefined || v === null) continue;
      if (Array.isArray(v)) for (const item of v) params.append(k, item);
      else params.append(k, String(v));
    }
    const qs = params.toString();
    return `${this.base}${path}${qs ? `?${qs}` : ''}`;
  }

  /**
   * The raw response of a successful request (streams: export, listen); errors still throw. Its
   * body may be read for as long as the timeout allows; the caller's signal is let go at the
   * timeout, or when it aborts.
   */
  async raw(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    return (await this.send(method, path, options)).res;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const { res, done } = await this.send(method, path, options);
    let text: string;
    try {
      text = await res.text();
    } finally {
      done();
    }
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      return text as T;
    }
  }

  private async send(
    method: string,
    path: string,
    options: RequestOptions,
  ): Promise<{ res: Response; done: () => void }> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.opts.token}`,
      accept: 'application/json',
      'user-agent': this.opts.userAgent ?? 'hookway-sdk',
      ...options.headers,
    };
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    // A deadline, not AbortSignal.any([caller's signal, timeout]): on Node 20 that leaks on a caller
    // signal reused for many calls (see core/deadline.ts).
    const call = deadline(this.opts.timeoutMs ?? 30_000, options.signal);
    let res: Response;
    try {
      res = await this.doFetch(this.url(path, options.query), { method, headers, body, signal: call.signal });
    } catch (err) {
      call.done();
      const reason =
        err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
      throw new HookwayApiError(0, 'network_error', `Could not reach ${this.base}: ${reason}`, { cause: err });
    }
    if (!res.ok) {
      try {
        throw await toApiError(res);
      } finally {
        call.done();
      }
    }
    return { res, done: call.done };
  }
}

async function toApiError(res: Response): Promise<HookwayApiError> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { code?: unknown; detail?: unknown };
    if (typeof body.code === 'string') {
      const detail = typeof body.detail === 'string' ? body.detail : JSON.stringify(body.detail ?? '');
      return new HookwayApiError(res.status, body.code, detail);
    }
  } catch {
    // not JSON: fall through
  }
  return new HookwayApiError(res.status, `http_${res.status}`, text.slice(0, 500) || res.statusText);
}

/** `/api/v1/app/{app_id}` with each segment URL-encoded. */
export function path(strings: TemplateStringsArray, ...values: string[]): string {
  return strings.reduce((out, s, i) => out + s + (i < values.length ? encodeURIComponent(values[i] ?? '') : ''), '');
}
