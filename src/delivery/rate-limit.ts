import { TokenBuckets } from '../core/token-bucket.js';

/**
 * Per-endpoint rate limits (`rateLimit`, messages per second), per node.
 *
 * A token bucket per endpoint whose capacity is a tenth of a second of
 * traffic (at least one), so a burst cannot push a 10-second window more than
 * ~1% over the rate. The dispatcher never drops anything: an endpoint with no
 * whole token is reported paused (its deliveries stay queued), and each
 * delivery that was claimed reserves a token and waits for it before it is
 * sent, so the deliveries of one claim are spaced at the rate.
 *
 * Multi-node: each node has its own buckets, so N worker nodes may send up to
 * N x rateLimit to one endpoint. Deployments that need one global limit run
 * one worker node (HOOKWAY_ROLE=worker) for rate-limited endpoints.
 */
export function endpointRateLimits(now: () => number = Date.now): TokenBuckets {
  return new TokenBuckets({ capacity: (rate) => Math.max(1, rate / 10), now });
}
