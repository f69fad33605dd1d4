import { describe, expect, it } from 'vitest';
import { KeyRateLimiter } from './key-rate-limiter.ts';
import { OncePerInterval } from './once-per-interval.ts';

describe('KeyRateLimiter', () => {
  it('lets a burst through, then one action per refill interval, per key', () => {
    let now = 0;
    const limiter = new KeyRateLimiter({ burst: 3, perMinute: 6, now: () => now });
    expect([1, 2, 3].map(() => limiter.take('a').allowed)).toEqual([true, true, true]);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterMs: 10_000 });
    // Another key has its own bucket.
    expect(limiter.take('b').allowed).toBe(true);
    now = 4_000;
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterMs: 6_000 });
    now = 10_000;
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    // A minute later the bucket is full again, but never fuller than the burst.
    now = 600_000;
    expect([1, 2, 3, 4].map(() => limiter.take('a').allowed)).toEqual([true, true, true, false]);
  });

  it('forgets keys whose bucket refilled once it holds more than maxKeys', () => {
    let now = 0;
    const limiter = new KeyRateLimiter({ burst: 1, perMinute: 60, maxKeys: 2, now: () => now });
    limiter.take('a');
    limiter.take('b');
    now = 5_000;
    limiter.take('c');
    expect(limiter.size).toBe(1);
    expect(limiter.take('c').allowed).toBe(false);
  });
});

describe('OncePerInterval', () => {
  it('allows a key once per interval, and forgets keys whose interval passed once it holds too many', () => {
    let now = 0;
    const once = new OncePerInterval(1_000, 1, () => now);
    expect([once.allow('a'), once.allow('a'), once.allow('b')]).toEqual([true, false, true]);
    now = 999;
    expect(once.allow('a')).toBe(false);
    now = 1_000;
    expect(once.allow('a')).toBe(true);
  });
});
