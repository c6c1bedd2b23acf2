import type { ErrorKind } from '../../core/types.js';
import { BLOCKED_ADDRESS } from '../guard/connector.js';
import type { SendRequest, SendResult } from '../sender.js';

/**
 * What a broker publish is recorded as. A broker has no HTTP status: an
 * acknowledged publish is recorded as status 202 (accepted, like a queue's
 * answer) with the broker's acknowledgement as the response body, anything
 * else as status 0 with an error kind and detail.
 */
const MAX_DETAIL_CHARS = 300;

export function published(ack: Record<string, unknown>, durationMs: number): SendResult {
  return { statusCode: 202, headers: null, body: JSON.stringify(ack), durationMs, errorKind: null, errorDetail: null };
}

export function notPublished(errorKind: ErrorKind, detail: string, durationMs: number): SendResult {
  const text = detail.length > MAX_DETAIL_CHARS ? `${detail.slice(0, MAX_DETAIL_CHARS)}…` : detail;
  return { statusCode: 0, headers: null, body: '', durationMs, errorKind, errorDetail: text };
}

/** Thrown by a transport when the broker answered, but not with an acknowledgement. */
export class PublishError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'PublishError';
  }
}

export class PublishTimeout extends Error {
  constructor(ms: number) {
    super(`no acknowledgement from the broker within ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

/** Runs `work` with a deadline; the publish may still be acknowledged later (delivery is at least once). */
export function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PublishTimeout(ms)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/**
 * Maps what a connect or publish threw to an attempt result. The detail is
 * the error's message with the destination's secret cut out, in case a
 * client library ever repeats its URL.
 */
export function failureOf(err: unknown, secret: string | null, durationMs: number): SendResult {
  const e = err as { name?: unknown; code?: unknown; message?: unknown; kind?: ErrorKind };
  let message = typeof e?.message === 'string' && e.message !== '' ? e.message : String(err);
  if (secret) message = message.split(secret).join('****');
  if (err instanceof PublishError) return notPublished(err.kind, message, durationMs);
  if (e?.code === BLOCKED_ADDRESS) return notPublished('blocked', message, durationMs);
  if (e?.name === 'TimeoutError' || e?.code === 'ETIMEDOUT') return notPublished('timeout', message, durationMs);
  return notPublished('network', message, durationMs);
}

export type Parsed<T> = { ok: true; target: T } | { ok: false; reason: string };

/**
 * One broker attempt, the same for every broker: parse the URL's target,
 * publish within the endpoint's timeout, and turn the outcome into a
 * SendResult (never a throw).
 */
export async function brokerSend<T>(
  req: SendRequest,
  parse: (url: URL) => Parsed<T>,
  publish: (url: URL, target: T, timeoutMs: number) => Promise<Record<string, unknown>>,
): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const url = new URL(req.url);
  const secret = decodeURIComponent(url.password || url.username) || null;
  const parsed = parse(url);
  if (!parsed.ok) return failureOf(new PublishError('refused', parsed.reason), secret, elapsed());
  const timeoutMs = Math.max(1, Math.floor(req.timeoutMs));
  try {
    return published(await withDeadline(publish(url, parsed.target, timeoutMs), timeoutMs), elapsed());
  } catch (err) {
    return failureOf(err, secret, elapsed());
  }
}
