/**
 * The transport of the SDK: global fetch, a bearer token, JSON in and out,
 * and one error type. Nothing here knows the routes.
 */
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

  /** The raw response of a successful request (streams: export, listen); errors still throw. */
  async raw(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
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
    const timeoutMs = this.opts.timeoutMs ?? 30_000;
    const signals = [options.signal, timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined].filter(
      (s): s is AbortSignal => s !== undefined,
    );
    let res: Response;
    try {
      res = await this.doFetch(this.url(path, options.query), {
        method,
        headers,
        body,
        ...(signals.length > 0 && { signal: AbortSignal.any(signals) }),
      });
    } catch (err) {
      const reason =
        err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
      throw new HookwayApiError(0, 'network_error', `Could not reach ${this.base}: ${reason}`, { cause: err });
    }
    if (!res.ok) throw await toApiError(res);
    return res;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const res = await this.raw(method, path, options);
    const text = await res.text();
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      return text as T;
    }
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
