/**
 * Token buckets in memory, one per key: a bucket holds up to `capacity(rate)`
 * tokens and refills at `rate` tokens per second. Two ways to spend:
 *
 * - `take`: a token if there is a whole one, else nothing (the API's request
 *   limits refuse the request and say when to come back);
 * - `reserve`: a token now, going into debt if need be, and how long to wait
 *   before using it (an endpoint's delivery rate spaces its sends).
 *
 * A bucket's rate may change from one call to the next (an endpoint's
 * `rateLimit` was edited). Full buckets are forgotten: a key seen again starts
 * full, which is what a forgotten bucket would have refilled to. Times are
 * milliseconds; nothing here sets a timer.
 */
export interface TokenBucketOptions {
  /** Tokens a full bucket holds at `rate` per second. */
  capacity: (rate: number) => number;
  now?: () => number;
  /** Past this many buckets, full ones are dropped, and if every one is busy the oldest half. */
  maxKeys?: number;
}

interface Bucket {
  tokens: number;
  at: number;
  rate: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly capacity: (rate: number) => number;
  private readonly now: () => number;
  private readonly maxKeys: number;

  constructor(opts: TokenBucketOptions) {
    this.capacity = opts.capacity;
    this.now = opts.now ?? Date.now;
    this.maxKeys = opts.maxKeys ?? Number.POSITIVE_INFINITY;
  }

  /** Takes a whole token: 0 when taken, else the milliseconds until there is one (nothing taken). */
  take(key: string, rate: number, at = this.now()): number {
    const b = this.refill(key, rate, at);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - b.tokens) / rate) * 1000);
  }

  /** Takes one token, going into debt if need be: the milliseconds to wait before using it. */
  reserve(key: string, rate: number, at = this.now()): number {
    const b = this.refill(key, rate, at);
    b.tokens -= 1;
    return b.tokens >= 0 ? 0 : Math.ceil((-b.tokens / rate) * 1000);
  }

  /** Drops the key's bucket (its rate changed and the debt at the old rate no longer holds): it starts full again. */
  forget(key: string): void {
    this.buckets.delete(key);
  }

  /** The keys without a whole token at `at`; full buckets are forgotten on the way. */
  paused(at = this.now()): string[] {
    const out: string[] = [];
    for (const [key, b] of this.buckets) {
      this.refill(key, b.rate, at);
      if (b.tokens < 1) out.push(key);
      else if (b.tokens >= this.capacity(b.rate)) this.buckets.delete(key);
    }
    return out;
  }

  /** When the earliest paused key gets a whole token again (null if none is paused). */
  nextTokenAt(at = this.now()): number | null {
    let next: number | null = null;
    for (const b of this.buckets.values()) {
      if (b.tokens >= 1) continue;
      const t = b.at + Math.ceil(((1 - b.tokens) / b.rate) * 1000);
      next = next === null ? t : Math.min(next, t);
    }
    return next === null ? null : Math.max(next, at);
  }

  /** The key's bucket with the tokens earned since it was last seen; a new one starts full. */
  private refill(key: string, rate: number, at: number): Bucket {
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= this.maxKeys) this.prune(at);
      b = { tokens: this.capacity(rate), at, rate };
      this.buckets.set(key, b);
    }
    b.rate = rate;
    b.tokens = Math.min(this.capacity(rate), b.tokens + ((at - b.at) / 1000) * rate);
    b.at = at;
    return b;
  }

  private prune(at: number): void {
    this.paused(at);
    // Everyone is busy: forget the oldest half rather than grow without bound.
    if (this.buckets.size >= this.maxKeys) {
      let n = 0;
      for (const key of this.buckets.keys()) if (n++ < this.maxKeys / 2) this.buckets.delete(key);
    }
  }
}
