/**
 * A token bucket per key (an object, a user): `burst` actions at once, then `perMinute` a minute. A loop
 * of writes that should never happen (two controllers undoing each other's fields) is then bounded and
 * visible instead of silent and unbounded, while the writes a normal change needs pass at once.
 *
 * Keys come and go with the objects they stand for; a key whose bucket has refilled holds nothing a fresh
 * key would not, so such keys are dropped whenever the map grows past `maxKeys`.
 */
export interface KeyRateLimiterOptions {
  burst: number;
  perMinute: number;
  maxKeys?: number;
  now?: () => number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

interface Bucket {
  tokens: number;
  updated: number;
}

export class KeyRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;
  private readonly tokensPerMs: number;

  constructor(private readonly options: KeyRateLimiterOptions) {
    this.now = options.now ?? Date.now;
    this.tokensPerMs = options.perMinute / 60_000;
  }

  get size(): number {
    return this.buckets.size;
  }

  private refilled(bucket: Bucket, now: number): number {
    return Math.min(this.options.burst, bucket.tokens + (now - bucket.updated) * this.tokensPerMs);
  }

  /** Takes one token of `key`'s bucket if there is one; otherwise says how long until there is. */
  take(key: string): RateDecision {
    const now = this.now();
    const bucket = this.buckets.get(key);
    const tokens = bucket ? this.refilled(bucket, now) : this.options.burst;
    if (tokens < 1) {
      if (bucket) Object.assign(bucket, { tokens, updated: now });
      return { allowed: false, retryAfterMs: Math.ceil((1 - tokens) / this.tokensPerMs) };
    }
    this.buckets.set(key, { tokens: tokens - 1, updated: now });
    if (this.buckets.size > (this.options.maxKeys ?? 10_000)) this.sweep(now);
    return { allowed: true };
  }

  private sweep(now: number): void {
    for (const [key, bucket] of this.buckets)
      if (this.refilled(bucket, now) >= this.options.burst) this.buckets.delete(key);
  }
}
