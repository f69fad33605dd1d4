/**
 * Informers that follow a wanted set: each is acquired from the process's shared CacheSet when first
 * wanted (so a type another feature watches too is listed once) and released when no longer wanted,
 * and each feeds its changes to one listener. `KappnavCluster` keeps one per kind that applications
 * name, and `KappnavConfigMaps` the ConfigMap informers of where kAppNav's maps may be.
 */
import type { Logger } from 'pino';
import type { CacheScope, CacheSet } from '../../../pkg/kube/cache-set.ts';
import type { ResourceCache } from '../../../pkg/kube/resource-cache.ts';
import type { ResourceType } from '../../../pkg/kube/resource-type.ts';
import type { ObjectChange } from '../model/application-graph.ts';
import { changeOf } from './cache-event-change.ts';

export interface InformerSpec {
  type: ResourceType;
  scope?: CacheScope;
}

interface Followed {
  spec: InformerSpec;
  cache: ResourceCache;
  unsubscribe: () => void;
}

const sameInformer = (a: InformerSpec, b: InformerSpec) =>
  a.type.group === b.type.group &&
  a.type.version === b.type.version &&
  a.type.resource === b.type.resource &&
  a.scope?.namespace === b.scope?.namespace &&
  a.scope?.labelSelector === b.scope?.labelSelector;

export class FollowedInformers {
  private readonly followed = new Map<string, Followed>();

  constructor(
    private readonly caches: CacheSet,
    private readonly onChange: (change: ObjectChange) => void,
    private readonly log: Logger,
  ) {}

  /** Keeps exactly the informers of `wanted`, by key; true when that started or stopped any. */
  follow(wanted: ReadonlyMap<string, InformerSpec>): boolean {
    let changed = false;
    for (const [key, followed] of this.followed) {
      const spec = wanted.get(key);
      if (spec && sameInformer(spec, followed.spec)) continue;
      this.unfollow(key, followed);
      changed = true;
    }
    for (const [key, spec] of wanted) {
      if (this.followed.has(key)) continue;
      const cache = this.caches.acquire(spec.type, spec.scope);
      const unsubscribe = cache.onEvent((event) => this.onChange(changeOf(event)));
      this.followed.set(key, { spec, cache, unsubscribe });
      changed = true;
    }
    return changed;
  }

  get(key: string): ResourceCache | undefined {
    return this.followed.get(key)?.cache;
  }

  types(): ResourceType[] {
    return [...this.followed.values()].map((f) => f.spec.type);
  }

  informers(): ResourceCache[] {
    return [...this.followed.values()].map((f) => f.cache);
  }

  stop(): void {
    this.follow(new Map());
  }

  private unfollow(key: string, followed: Followed): void {
    followed.unsubscribe();
    this.followed.delete(key);
    this.caches
      .release(followed.spec.type, followed.spec.scope)
      .catch((err: unknown) =>
        this.log.warn({ err, resource: followed.spec.type.resource }, 'could not stop an informer'),
      );
  }
}
