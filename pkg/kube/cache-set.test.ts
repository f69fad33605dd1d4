import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { CacheSet } from './cache-set.ts';
import type { KubeClient } from './kube-client.ts';
import { CORE_TYPES } from './resource-type.ts';

/** A client for an API server that cannot be reached: the caches start, retry and stop without listing. */
const offline = {
  request: () => Promise.reject(new Error('offline')),
  stream: () => Promise.reject(new Error('offline')),
} as unknown as KubeClient;

describe('CacheSet acquire and release', () => {
  const type = CORE_TYPES.deployments;

  it('keeps an acquired cache until every acquirer released it', async () => {
    const caches = new CacheSet(offline, pino({ level: 'silent' }));
    const first = caches.acquire(type);
    expect(caches.acquire(type)).toBe(first);
    await caches.release(type);
    expect(caches.peek(type)).toBe(first);
    await caches.release(type);
    expect(caches.peek(type)).toBeUndefined();
    await caches.release(type);
  });

  it('never stops a cache that get() asked for', async () => {
    const caches = new CacheSet(offline, pino({ level: 'silent' }));
    const shared = caches.get(type);
    expect(caches.acquire(type)).toBe(shared);
    await caches.release(type);
    expect(caches.peek(type)).toBe(shared);
    caches.acquire(type, { namespace: 'one' });
    caches.get(type, { namespace: 'one' });
    await caches.release(type, { namespace: 'one' });
    expect(caches.peek(type, { namespace: 'one' })).toBeDefined();
    await caches.stop();
  });

  it('keeps a metadata-only cache apart from the full one of the same type and scope', async () => {
    const caches = new CacheSet(offline, pino({ level: 'silent' }));
    const scope = { fieldSelector: 'type=kubernetes.io/tls' };
    const names = caches.get(CORE_TYPES.secrets, { ...scope, metadataOnly: true });
    expect(caches.get(CORE_TYPES.secrets, scope)).not.toBe(names);
    expect(caches.peek(CORE_TYPES.secrets, { ...scope, metadataOnly: true })).toBe(names);
    await caches.stop();
  });
});

describe('a cache backing off after failures', () => {
  it('lists at once when asked to, instead of waiting out its backoff', async () => {
    let lists = 0;
    const failing = {
      request: () => {
        lists += 1;
        return Promise.reject(new Error('the resource is not served (yet)'));
      },
      stream: () => Promise.reject(new Error('offline')),
    } as unknown as KubeClient;
    const caches = new CacheSet(failing, pino({ level: 'silent' }));
    const cache = caches.get(CORE_TYPES.deployments);
    // Fail a few times: the backoff doubles from 0.5 s, so a fourth attempt would come after 3.5 s.
    while (lists < 3) await new Promise((resolve) => setTimeout(resolve, 50));
    const before = lists;
    cache.requestRelist();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(lists).toBe(before + 1);
    await caches.stop();
  });
});
