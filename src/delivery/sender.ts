import type { LookupFunction } from 'node:net';
import { Agent, type Dispatcher, ProxyAgent, request } from 'undici';
import { deadline } from '../core/deadline.js';
import type { ErrorKind } from '../core/types.js';
import { compileAllowlist } from './guard/blocked-ranges.js';
import { checkUrlShape } from './guard/check-url.js';
import { BLOCKED_ADDRESS, checkHost, guardedConnector } from './guard/connector.js';

/**
 * The outbound HTTP sender: one POST per attempt, through a keep-alive pool,
 * with a connect-time address guard, a total time cap, no redirects, and a
 * bounded response read. send() never throws: every failure is a SendResult.
 */

export interface SenderOptions {
  /** CIDRs that may be reached although private, e.g. ['127.0.0.0/8', '::1/128']. */
  allowedTargets: string[];
  /** Refuse http:// targets (errorKind 'blocked'). */
  httpsOnly?: boolean;
  /**
   * Optional egress proxy (undici ProxyAgent, CONNECT tunnel). The proxy does
   * its own DNS, so the guard resolves and checks the target before handing
   * the request over; the proxy (e.g. smokescreen) should enforce its own
   * policy too, since its lookup may answer differently.
   */
  proxyUrl?: string | undefined;
  userAgent: string;
  /** Default 20_000: the stored response body is cut there. */
  maxResponseBytes?: number;
  /** Keep-alive pool size per origin, default 64. */
  connections?: number;
  /** DNS lookup override (tests); default dns.lookup. */
  lookup?: LookupFunction;
}

export interface SendRequest {
  url: string;
  headers: Record<string, string>;
  body: string | Buffer;
  timeoutMs: number;
  /** Cuts the send short before its timeout (graceful shutdown); the result is then a 'network' failure. */
  signal?: AbortSignal;
  /** The message's event type: broker destinations carry it as a header or field. */
  eventType?: string;
}

export interface SendResult {
  /** 0 when there was no HTTP response. */
  statusCode: number;
  /** Response headers, lower-case names. */
  headers: Record<string, string> | null;
  /** Response body, cut at maxResponseBytes (errorDetail then says so, even on a 2xx). */
  body: string;
  durationMs: number;
  /** null on 2xx; see errorKindOf() for the rest. */
  errorKind: ErrorKind | null;
  /** Short human text; never contains request headers (they hold signatures). */
  errorDetail: string | null;
  retryAfterSeconds?: number | undefined;
}

export interface Sender {
  send(req: SendRequest): Promise<SendResult>;
  close(): Promise<void>;
}

const DEFAULT_MAX_RESPONSE_BYTES = 20_000;
const MAX_DETAIL_CHARS = 300;

export function createSender(opts: SenderOptions): Sender {
  const allow = compileAllowlist(opts.allowedTargets);
  const maxResponseBytes = opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const connections = opts.connections ?? 64;
  const connect = guardedConnector({ allow, lookup: opts.lookup });
  // No redirect interceptor is composed onto either dispatcher: undici 7 only
  // follows redirects through one, so a 3xx comes back as it is.
  const dispatcher: Dispatcher = opts.proxyUrl
    ? new ProxyAgent({ uri: opts.proxyUrl, connections })
    : new Agent({ connections, connect });

  async function send(req: SendRequest): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const shape = checkUrlShape(req.url, opts.httpsOnly);
    if (!shape.ok) return failure('blocked', shape.reason, elapsed());

    // undici reads a 0 timeout as "none"; a bad value must not make send() throw.
    const timeoutMs = Number.isFinite(req.timeoutMs) ? Math.max(1, Math.floor(req.timeoutMs)) : 1;
    const limit = deadline(timeoutMs, req.signal);
    const signal = limit.signal;
    let statusCode = 0;
    let headers: Record<string, string> | null = null;
    let retryAfterSeconds: number | undefined;
    try {
      if (opts.proxyUrl) await withSignal(checkHost(shape.url.hostname, allow, opts.lookup), signal);
      // Raced against the signal: undici does not abort a request still waiting for its
      // connection, so a TLS handshake that never finishes would hold the send until the
      // connector's own 10 s timeout, past the endpoint's.
      const res = await withSignal(
        request(shape.url, {
          dispatcher,
          method: 'POST',
          headers: withUserAgent(req.headers, opts.userAgent),
          body: req.body,
          signal,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        }),
        signal,
      );
      statusCode = res.statusCode;
      headers = flattenHeaders(res.headers);
      retryAfterSeconds = parseRetryAfter(headers['retry-after']);
      const ok = statusCode >= 200 && statusCode < 300;
      const { text: body, cut } = await readCapped(res.body, maxResponseBytes);
      const result: SendResult = {
        statusCode,
        headers,
        body,
        durationMs: elapsed(),
        errorKind: ok ? null : 'http_error',
        errorDetail: ok ? null : `HTTP ${statusCode}`,
        retryAfterSeconds,
      };
      // The status line is the receiver's answer: a 2xx whose body then broke off, trickled
      // past the timeout or ran past the cap still counts as delivered (retrying would deliver
      // twice); the stored attempt says the body was cut.
      if (cut) result.errorDetail = ok ? cut : `HTTP ${statusCode}; ${cut}`;
      return result;
    } catch (err) {
      return { ...failure(errorKindOf(err), describe(err), elapsed()), statusCode, headers, retryAfterSeconds };
    } finally {
      limit.done();
    }
  }

  return {
    send,
    async close() {
      // Destroy, not close: every send has returned by now, but one cut off by its timeout
      // while connecting (a TLS handshake that never finishes) may still hold a socket
      // until undici's 10 s connect timeout, and close() would wait for it.
      await dispatcher.destroy();
    },
  };
}

/** A send that got no HTTP answer. */
export function failure(errorKind: ErrorKind, errorDetail: string, durationMs: number): SendResult {
  return { statusCode: 0, headers: null, body: '', durationMs, errorKind, errorDetail };
}

function withUserAgent(headers: Record<string, string>, userAgent: string): Record<string, string> {
  for (const name of Object.keys(headers)) if (name.toLowerCase() === 'user-agent') return headers;
  return { ...headers, 'user-agent': userAgent };
}

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/**
 * Reads at most `max` bytes; `cut` says why the body is incomplete, if it is
 * (the cap, or the stream failing: a timeout, a reset). Leaving the loop early
 * destroys the body, which costs that connection; receivers that answer more
 * than `max` bytes are rare enough that draining their output to keep the
 * socket is not worth the time, and an endless body must not be drained.
 */
async function readCapped(
  body: Dispatcher.ResponseData['body'],
  max: number,
): Promise<{ text: string; cut: string | null }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let cut: string | null = null;
  try {
    for await (const chunk of body) {
      const buf = chunk as Buffer;
      if (size + buf.length > max) {
        chunks.push(buf.subarray(0, max - size));
        size = max;
        cut = `response body cut at ${max} bytes`;
        break;
      }
      chunks.push(buf);
      size += buf.length;
    }
  } catch (err) {
    cut = `response body cut after ${size} bytes: ${describe(err)}`;
  }
  return { text: Buffer.concat(chunks, size).toString('utf8'), cut };
}

/** Retry-After as seconds (delta-seconds or an HTTP date), or undefined. */
function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
  'ABORT_ERR',
]);
const INVALID_RESPONSE_CODES = new Set([
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_RES_EXCEEDED_MAX_SIZE',
  'UND_ERR_INVALID_ARG',
  'UND_ERR_NOT_SUPPORTED',
]);

/** Maps a thrown error to an ErrorKind; anything unrecognised is 'network'. */
function errorKindOf(err: unknown): ErrorKind {
  for (const e of causes(err)) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (code === BLOCKED_ADDRESS) return 'blocked';
    if (e.name === 'TimeoutError' || TIMEOUT_CODES.has(code)) return 'timeout';
    if (e.name === 'HTTPParserError' || code.startsWith('HPE_') || INVALID_RESPONSE_CODES.has(code)) {
      return 'invalid_response';
    }
  }
  return 'network';
}

type ErrorLike = { name?: unknown; code?: unknown; message?: unknown };

/** The error, its causes and (for happy-eyeballs AggregateErrors) the errors it groups. */
function causes(err: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  const queue: unknown[] = [err];
  while (queue.length > 0 && out.length < 10) {
    const e = queue.shift();
    if (typeof e !== 'object' || e === null) continue;
    out.push(e as ErrorLike);
    const { cause, errors } = e as { cause?: unknown; errors?: unknown };
    if (cause !== undefined) queue.push(cause);
    if (Array.isArray(errors)) queue.push(...errors);
  }
  return out;
}

function describe(err: unknown): string {
  const list = causes(err);
  const message = list.map((e) => (typeof e.message === 'string' ? e.message : '')).find((m) => m !== '');
  const text = message ?? String(err);
  return text.length > MAX_DETAIL_CHARS ? `${text.slice(0, MAX_DETAIL_CHARS)}…` : text;
}

function withSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
