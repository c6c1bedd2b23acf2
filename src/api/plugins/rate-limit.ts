import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HookwayError } from '../../core/errors.js';
import { TokenBuckets } from '../../core/token-bucket.js';

/**
 * Request limits, one token bucket per API key and one per inbound source
 * (core/token-bucket.ts). Each holds up to `burst` tokens and refills at
 * `rate` per second; a request takes one. Per node: N nodes allow N times the
 * rate, which is fine for abuse protection (the goal), not for billing.
 */
export interface BucketOptions {
  rate: number;
  burst: number;
}

/** Buckets kept before idle (full) ones are dropped; they are recreated full on demand. */
const MAX_BUCKETS = 100_000;

export interface RateLimiter {
  /** Takes a token for `key`: 0 when allowed, else the seconds until one is available. */
  take(key: string, now: number): number;
}

export function createRateLimiter(opts: BucketOptions): RateLimiter {
  const buckets = new TokenBuckets({ capacity: () => opts.burst, maxKeys: MAX_BUCKETS });
  return {
    take(key, now) {
      const waitMs = buckets.take(key, opts.rate, now);
      return waitMs === 0 ? 0 : Math.max(1, Math.ceil(waitMs / 1000));
    },
  };
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
