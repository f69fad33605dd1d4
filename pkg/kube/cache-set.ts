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
  /** e.g. `type=kubernetes.io/tls`: only the Secrets a feature needs, not every Secret of the cluster. */
  fieldSelector?: string;
  /** Names, labels and versions only (ResourceCacheOptions.metadataOnly): for existence checks. */
  metadataOnly?: boolean;
}

export type CacheTuning = Pick<
  ResourceCacheOptions,
  'resyncIntervalMs' | 'watchIdleTimeoutMs' | 'watchTimeoutSeconds' | 'pageSize' | 'listTimeoutMs'
>;

export class CacheSet {
  private readonly caches = new Map<string, ResourceCache>();
  /** How many acquire() calls hold each cache that no get() asked for; get() makes a cache permanent. */
  private readonly holders = new Map<string, number>();

  constructor(
    private readonly client: KubeClient,
    private readonly log: Logger,
    private readonly tuning: CacheTuning = {},
  ) {}

  private static key(type: ResourceType, scope: CacheScope): string {
    return `${type.group}/${type.version}/${type.resource}|${scope.namespace ?? ''}|${scope.labelSelector ?? ''}|${scope.fieldSelector ?? ''}|${scope.metadataOnly ? 'metadata' : 'full'}`;
  }

  /** The shared cache of `type` within `scope` (all namespaces by default), started on first use. */
  get<T extends KubeObject = KubeObject>(type: ResourceType, scope: CacheScope = {}): ResourceCache<T> {
    this.holders.delete(CacheSet.key(type, scope));
    return this.start<T>(type, scope);
  }

  /**
   * Like get(), for a consumer that lets go of the cache again with release() (e.g. one cache per kind
   * that applications name): the cache stops when every acquirer released it, unless get() asked for it.
   */
  acquire<T extends KubeObject = KubeObject>(type: ResourceType, scope: CacheScope = {}): ResourceCache<T> {
    const key = CacheSet.key(type, scope);
    const held = this.holders.get(key);
    if (held !== undefined) this.holders.set(key, held + 1);
    else if (!this.caches.has(key)) this.holders.set(key, 1);
    return this.start<T>(type, scope);
  }

  private start<T extends KubeObject>(type: ResourceType, scope: CacheScope): ResourceCache<T> {
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

  /** Gives back one acquire(); the last one stops and forgets the cache, unless get() asked for it too. */
  async release(type: ResourceType, scope: CacheScope = {}): Promise<void> {
    const key = CacheSet.key(type, scope);
    const held = this.holders.get(key);
    if (held === undefined) return;
    if (held > 1) {
      this.holders.set(key, held - 1);
      return;
    }
    this.holders.delete(key);
    const cache = this.caches.get(key);
    this.caches.delete(key);
    await cache?.stop();
  }

  async stop(): Promise<void> {
    await Promise.all(this.all().map((cache) => cache.stop()));
    this.caches.clear();
    this.holders.clear();
  }
}
