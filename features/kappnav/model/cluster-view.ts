/**
 * What the kAppNav application model reads of the cluster.
 *
 * The reconciler and the webhook back it with informer caches (`pkg/kube/resource-cache.ts`), tests with
 * `MemoryCluster`. Reads are synchronous: status computation never waits on the API server, and a kind
 * whose cache is not running yet simply has no objects.
 */
import type { ResourceType } from '../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../pkg/kube/types.ts';

/** Objects carrying the label `key` with one of `values`: how a selector narrows a listing. */
export interface LabelCondition {
  key: string;
  values: readonly string[];
}

/** Whether `object` satisfies `label`. */
export function carriesLabel(object: KubeObject, label: LabelCondition): boolean {
  const value = object.metadata?.labels?.[label.key];
  return value !== undefined && label.values.includes(value);
}

export interface ClusterView {
  /**
   * Objects of `type` in `namespace`; every namespace when undefined, and always so for cluster-scoped
   * types. With `label`, at least those that satisfy it (an index may answer; the caller still decides).
   */
  list(type: ResourceType, namespace?: string, label?: LabelCondition): readonly KubeObject[];
  /** `app.k8s.io` Applications, in `namespace` or in every namespace when undefined. */
  applications(namespace?: string): readonly KubeObject[];
  getApplication(namespace: string, name: string): KubeObject | undefined;
}
