/**
 * What the kAppNav application model reads of the cluster.
 *
 * The reconciler and the webhook back it with informer caches (`pkg/kube/resource-cache.ts`), tests with
 * `MemoryCluster`. Reads are synchronous: status computation never waits on the API server, and a kind
 * whose cache is not running yet simply has no objects.
 */
import type { ResourceType } from '../../kube/resource-type.ts';
import type { KubeObject } from '../../kube/types.ts';

export interface ClusterView {
  /** Objects of `type` in `namespace`; every namespace when undefined, and always so for cluster-scoped types. */
  list(type: ResourceType, namespace?: string): readonly KubeObject[];
  /** `app.k8s.io` Applications, in `namespace` or in every namespace when undefined. */
  applications(namespace?: string): readonly KubeObject[];
  getApplication(namespace: string, name: string): KubeObject | undefined;
}
