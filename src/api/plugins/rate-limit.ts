import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HookwayError } from '../../core/errors.js';

/**
 * Token buckets in memory, one per API key and one per inbound source.
 * Each holds up to `burst` tokens and refills at `rate` per second; a request
 * takes one. Per node: N nodes allow N times the rate, which is fine for
 * abuse protection (the goal), not for billing. Idle buckets are full, so
 * they are dropped when the map grows, and recreated full on demand.
 */
export interface BucketOptions {
  rate: number;
  burst: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

const MAX_BUCKETS = 100_000;

export interface RateLimiter {
  /** Takes a token for `key`: 0 when allowed, else the seconds until one is available. */
  take(key: string, now: number): number;
}

export function createRateLimiter(opts: BucketOptions): RateLimiter {
  const buckets = new Map<string, Bucket>();
  const perMs = opts.rate / 1000;
  return {
    take(key, now) {
      let b = buckets.get(key);
      if (!b) {
        if (buckets.size >= MAX_BUCKETS) prune(buckets, now, perMs, opts.burst);
        b = { tokens: opts.burst, at: now };
        buckets.set(key, b);
      } else {
        b.tokens = Math.min(opts.burst, b.tokens + (now - b.at) * perMs);
        b.at = now;
      }
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - b.tokens) / opts.rate));
    },
  };
}

function prune(buckets: Map<string, Bucket>, now: number, perMs: number, burst: number): void {
  for (const [key, b] of buckets) if (b.tokens + (now - b.at) * perMs >= burst) buckets.delete(key);
  // Everyone is busy: forget the oldest half rather than grow without bound.
  if (buckets.size >= MAX_BUCKETS) {
    let n = 0;
    for (const key of buckets.keys()) if (n++ < MAX_BUCKETS / 2) buckets.delete(key);
  }
}

export interface RateLimitOptions {
  api: BucketOptions;
  ingest: BucketOptions;
  now: () => number;
}

function limited(seconds: number, what: string): HookwayError {
  return new HookwayError('rate_limited', `Too many requests for this ${what}; retry in ${seconds} s.`, {
    headers: { 'retry-after': String(seconds) },
  });
}

/**
 * Registered after the auth hook, so the principal is known: API requests
 * are counted per key, receiving routes (`/in/:source_id`) per source.
 */
export function registerRateLimits(app: FastifyInstance, opts: RateLimitOptions): void {
  const api = opts.api.rate > 0 ? createRateLimiter(opts.api) : null;
  const ingest = opts.ingest.rate > 0 ? createRateLimiter(opts.ingest) : null;
  if (!api && !ingest) return;
  app.addHook('onRequest', async (request: FastifyRequest) => {
    if (api && request.principal) {
      const wait = api.take(request.principal.keyId, opts.now());
      if (wait > 0) throw limited(wait, 'API key');
      return;
    }
    if (ingest && request.url.startsWith('/in/')) {
      // The source is the first path segment, whatever the route names its parameter.
      const sourceId = request.url.slice(4).split(/[/?#]/, 1)[0] ?? '';
      const wait = ingest.take(sourceId, opts.now());
      if (wait > 0) throw limited(wait, 'source');
    }
  });
}
