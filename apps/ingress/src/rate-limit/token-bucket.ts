export interface TokenBucketOptions {
  /** Bucket size: how many requests a client may send at once after being idle. */
  readonly burst: number;
  /** Refill rate, requests per second: the sustained rate a client may keep up. */
  readonly perSecond: number;
  /** Milliseconds clock, injectable for tests. */
  readonly now?: () => number;
  /** Forget idle clients once this many are tracked (their buckets are full anyway). */
  readonly sweepAbove?: number;
}

export type TakeResult = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * One token bucket per key (subject or client address), in this replica's memory: the ADR's
 * limit is per ingress replica, and a bucket lost with its process only lets a client burst
 * once more. A bucket is stored only while it is not full, so memory follows active clients.
 */
export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;
  private readonly sweepAbove: number;

  constructor(private readonly options: TokenBucketOptions) {
    if (!(options.burst >= 1) || !(options.perSecond > 0))
      throw new Error('TokenBucketLimiter: burst must be >= 1 and perSecond > 0');
    this.now = options.now ?? Date.now;
    this.sweepAbove = options.sweepAbove ?? 10_000;
  }

  take(key: string): TakeResult {
    const now = this.now();
    const tokens = this.tokensAt(this.buckets.get(key), now);
    if (tokens < 1) {
      // Whole seconds (Retry-After's unit), rounded up: retrying then is sure to be allowed.
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / this.options.perSecond)) };
    }
    this.buckets.set(key, { tokens: tokens - 1, at: now });
    if (this.buckets.size > this.sweepAbove) this.sweep(now);
    return { allowed: true };
  }

  /** Keys currently tracked (for tests and diagnostics). */
  get size(): number {
    return this.buckets.size;
  }

  private tokensAt(bucket: Bucket | undefined, now: number): number {
    if (!bucket) return this.options.burst;
    const refilled = bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * this.options.perSecond;
    return Math.min(this.options.burst, refilled);
  }

  private sweep(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (this.tokensAt(bucket, now) >= this.options.burst) this.buckets.delete(key);
    }
  }
}
