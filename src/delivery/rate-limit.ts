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
interface Bucket {
  tokens: number;
  at: number;
  rate: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number = Date.now) {}

  static capacity(rate: number): number {
    return Math.max(1, rate / 10);
  }

  private refill(id: string, rate: number, at: number): Bucket {
    let b = this.buckets.get(id);
    if (!b) {
      b = { tokens: TokenBuckets.capacity(rate), at, rate };
      this.buckets.set(id, b);
    }
    b.rate = rate;
    b.tokens = Math.min(TokenBuckets.capacity(rate), b.tokens + ((at - b.at) / 1000) * rate);
    b.at = at;
    return b;
  }

  /** Takes one token (going into debt if need be); answers how long to wait before sending, ms. */
  reserve(id: string, rate: number): number {
    const b = this.refill(id, rate, this.now());
    b.tokens -= 1;
    return b.tokens >= 0 ? 0 : Math.ceil((-b.tokens / rate) * 1000);
  }

  /** Endpoints without a whole token right now; full buckets are forgotten. */
  paused(at = this.now()): string[] {
    const out: string[] = [];
    for (const [id, b] of this.buckets) {
      this.refill(id, b.rate, at);
      if (b.tokens < 1) out.push(id);
      else if (b.tokens >= TokenBuckets.capacity(b.rate)) this.buckets.delete(id);
    }
    return out;
  }

  /** When the earliest paused endpoint gets a whole token again (null if none is paused). */
  nextTokenAt(at = this.now()): number | null {
    let next: number | null = null;
    for (const b of this.buckets.values()) {
      if (b.tokens >= 1) continue;
      const t = b.at + Math.ceil(((1 - b.tokens) / b.rate) * 1000);
      next = next === null ? t : Math.min(next, t);
    }
    return next === null ? null : Math.max(next, at);
  }
}
