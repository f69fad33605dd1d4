/**
 * The cluster as the status engine reads it (`ClusterView`), backed by informers: the Application
 * informer, and the informer of each kind that applications name. A kind without an informer (no
 * application names it yet) simply has no objects.
 */
import type { ResourceCache } from '../../../pkg/kube/resource-cache.ts';
import type { ResourceType } from '../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { APPLICATION_TYPE } from '../model/application.ts';
import type { ClusterView, LabelCondition } from '../model/cluster-view.ts';

/** The index of objects by namespace and label, on the shared informers (built once, kept by them). */
const LABEL_INDEX = 'kappnav-status/namespace-label';

function labelIndexKey(namespace: string, key: string, value: string): string {
  return `${namespace}\u0000${key}\u0000${value}`;
}

function labelIndexKeys(object: KubeObject): string[] {
  const namespace = object.metadata?.namespace ?? '';
  return Object.entries(object.metadata?.labels ?? {}).map(([key, value]) =>
    labelIndexKey(namespace, key, value),
  );
}

export class CacheClusterView implements ClusterView {
  constructor(
    private readonly applicationCache: ResourceCache,
    private readonly componentCache: (type: ResourceType) => ResourceCache | undefined,
  ) {}

  list(type: ResourceType, namespace?: string, label?: LabelCondition): readonly KubeObject[] {
    const cache = this.cacheOf(type);
    if (!cache) return [];
    const scope = type.namespaced ? namespace : '';
    if (!label || scope === undefined) return cache.list(type.namespaced ? namespace : undefined);
    // Applications select by label: an index answers from the few objects carrying it, not from them all.
    cache.addIndex(LABEL_INDEX, labelIndexKeys);
    return label.values.flatMap((value) =>
      cache.byIndex(LABEL_INDEX, labelIndexKey(scope, label.key, value)),
    );
  }

  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.cacheOf(type)?.get(namespace, name);
  }

  applications(namespace?: string): readonly KubeObject[] {
    return this.applicationCache.list(namespace);
  }

  getApplication(namespace: string, name: string): KubeObject | undefined {
    return this.applicationCache.get(namespace, name);
  }

  private cacheOf(type: ResourceType): ResourceCache | undefined {
    const isApplicationType = type.group === APPLICATION_TYPE.group && type.kind === APPLICATION_TYPE.kind;
    return isApplicationType ? this.applicationCache : this.componentCache(type);
  }
}
