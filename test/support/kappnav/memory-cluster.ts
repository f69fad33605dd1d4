/**
 * A cluster held in memory: the served types and the objects. It backs the application model in unit
 * tests and when manifests are evaluated offline; a running server uses discovery and informer caches.
 */
import type { ResourceType } from '../../../pkg/kube/resource-type.ts';
import { parseApiVersion } from '../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { APPLICATION_TYPE } from '../../../features/kappnav/model/application.ts';
import type { ConfigMap, ConfigMapSource } from '../../../features/kappnav/kam/config-map-source.ts';
import {
  carriesLabel,
  type ClusterView,
  type LabelCondition,
} from '../../../features/kappnav/model/cluster-view.ts';
import { objectIdentity } from '../../../features/kappnav/model/object-identity.ts';
import type { ResourceRegistry } from '../../../features/kappnav/model/component-kinds.ts';

export class MemoryCluster implements ClusterView, ResourceRegistry, ConfigMapSource {
  private readonly objects = new Map<string, KubeObject>();

  constructor(
    private readonly types: readonly ResourceType[],
    objects: Iterable<KubeObject> = [],
  ) {
    for (const object of objects) this.put(object);
  }

  /** Adds `object`, or replaces the object of the same group, kind, namespace and name; returns that one. */
  put(object: KubeObject): KubeObject | undefined {
    const previous = this.objects.get(objectIdentity(object));
    this.objects.set(objectIdentity(object), object);
    return previous;
  }

  /** Removes the object of the same group, kind, namespace and name as `object`, and returns it. */
  remove(object: KubeObject): KubeObject | undefined {
    const previous = this.objects.get(objectIdentity(object));
    this.objects.delete(objectIdentity(object));
    return previous;
  }

  /** The version held of the object of the same group, kind, namespace and name as `object`. */
  current(object: KubeObject): KubeObject | undefined {
    return this.objects.get(objectIdentity(object));
  }

  forKind(group: string, kind: string): ResourceType | undefined {
    return this.types.find((t) => t.group === group && t.kind === kind);
  }

  list(
    type: Pick<ResourceType, 'group' | 'kind' | 'namespaced'>,
    namespace?: string,
    label?: LabelCondition,
  ): KubeObject[] {
    return [...this.objects.values()].filter(
      (o) =>
        o.kind === type.kind &&
        parseApiVersion(o.apiVersion ?? '').group === type.group &&
        (namespace === undefined || !type.namespaced || o.metadata?.namespace === namespace) &&
        (label === undefined || carriesLabel(o, label)),
    );
  }

  applications(namespace?: string): KubeObject[] {
    return this.list(APPLICATION_TYPE, namespace);
  }

  getApplication(namespace: string, name: string): KubeObject | undefined {
    return this.applications(namespace).find((a) => a.metadata?.name === name);
  }

  getConfigMap(namespace: string, name: string): ConfigMap | undefined {
    return this.list({ group: '', kind: 'ConfigMap', namespaced: true }, namespace).find(
      (o) => o.metadata?.name === name,
    );
  }
}
