/**
 * The process's shared informers: one ResourceCache per resource type (and namespace/label selector),
 * created and started on first use, so the admission webhook, the reconcilers and the prism API all read
 * the same copy of the cluster and the API server sees one watch per type, not one per consumer.
 */
import type { Logger } from 'pino';
import type { KubeClient } from './kube-client.ts';
import { ResourceCache, type ResourceCacheOptions } from './resource-cache.ts';
import type { ResourceType } from './resource-type.ts';
import type { KubeObject } from './types.ts';

export interface CacheScope {
  namespace?: string;
  labelSelector?: string;
}

export type CacheTuning = Pick<
  ResourceCacheOptions,
  'resyncIntervalMs' | 'watchIdleTimeoutMs' | 'watchTimeoutSeconds' | 'pageSize'
>;

export class CacheSet {
  private readonly caches = new Map<string, ResourceCache>();

  constructor(
    private readonly client: KubeClient,
    private readonly log: Logger,
    private readonly tuning: CacheTuning = {},
  ) {}

  private static key(type: ResourceType, scope: CacheScope): string {
    return `${type.group}/${type.version}/${type.resource}|${scope.namespace ?? ''}|${scope.labelSelector ?? ''}`;
  }

  /** The shared cache of `type` within `scope` (all namespaces by default), started on first use. */
  get<T extends KubeObject = KubeObject>(type: ResourceType, scope: CacheScope = {}): ResourceCache<T> {
    const key = CacheSet.key(type, scope);
    let cache = this.caches.get(key);
    if (!cache) {
      cache = new ResourceCache({
        client: this.client,
        type,
        log: this.log,
        ...this.tuning,
        ...scope,
      }).start();
      this.caches.set(key, cache);
    }
    return cache as unknown as ResourceCache<T>;
  }

  /** The cache of `type` if something already asked for it. */
  peek<T extends KubeObject = KubeObject>(
    type: ResourceType,
    scope: CacheScope = {},
  ): ResourceCache<T> | undefined {
    return this.caches.get(CacheSet.key(type, scope)) as unknown as ResourceCache<T> | undefined;
  }

  all(): ResourceCache[] {
    return [...this.caches.values()];
  }

  /** True when every cache created so far has completed its first list. */
  get synced(): boolean {
    return this.all().every((cache) => cache.hasSynced);
  }

  /** Waits for the first list of every cache created so far. */
  async whenSynced(): Promise<void> {
    await Promise.all(this.all().map((cache) => cache.synced));
  }

  /** Stops and forgets one cache (e.g. a kind no application names any more). */
  async release(type: ResourceType, scope: CacheScope = {}): Promise<void> {
    const key = CacheSet.key(type, scope);
    const cache = this.caches.get(key);
    this.caches.delete(key);
    await cache?.stop();
  }

  async stop(): Promise<void> {
    await Promise.all(this.all().map((cache) => cache.stop()));
    this.caches.clear();
  }
}
