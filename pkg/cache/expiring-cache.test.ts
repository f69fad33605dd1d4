import { describe, expect, it } from 'vitest';
import { ExpiringCache } from './expiring-cache.ts';

describe('ExpiringCache', () => {
  it('computes once per key while fresh, again after expiry, and shares computations in flight', async () => {
    let now = 0;
    let calls = 0;
    const cache = new ExpiringCache<number>(10_000, 100, () => now);
    const compute = () => Promise.resolve(++calls);
    const [a, b] = await Promise.all([cache.get('k', compute), cache.get('k', compute)]);
    expect([a, b, calls]).toEqual([1, 1, 1]);
    now = 9_999;
    expect(await cache.get('k', compute)).toBe(1);
    now = 10_000;
    expect(await cache.get('k', compute)).toBe(2);
  });

  it('keeps no failures and at most `capacity` entries', async () => {
    const cache = new ExpiringCache<number>(10_000, 2);
    await expect(cache.get('bad', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.get('bad', () => Promise.resolve(1))).toBe(1);
    await cache.get('b', () => Promise.resolve(2));
    await cache.get('c', () => Promise.resolve(3));
    expect(cache.size).toBe(2);
  });
});
