/**
 * What the kAppNav model reads of the cluster. `KappnavCluster` serves it from the process's informer
 * caches; tests serve it from memory.
 */
import type { ResourceType } from '../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import type { KappnavConfig } from '../model/config.ts';
import type { ConfigMapSource } from '../kam/config-map-source.ts';
import type { KindActionMapping } from '../kam/kind-action-mapping.ts';
import type { ClusterView } from '../model/cluster-view.ts';
import type { ResourceRegistry } from '../model/component-kinds.ts';

/** Which part of the cluster changed: the maps (and KindActionMappings, kappnav-config) invalidate more. */
export type ClusterChange = 'applications' | 'maps' | 'namespaces' | 'components';

export interface KappnavSource extends ClusterView, ConfigMapSource, ResourceRegistry {
  readonly kappnavNamespace: string;
  kindActionMappings(): readonly KindActionMapping[];
  namespaces(): readonly KubeObject[];
  /** `kappnav-config`, read (defaults for what it does not say). */
  kappnavConfig(): KappnavConfig;
  /** A known object of `type`, if its kind is watched. */
  cached(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined;
  /** Called after any object the model reads changed. */
  onChange(listener: (change: ClusterChange) => void): () => void;
  /** True once what every answer needs has been listed. */
  synced(): boolean;
  /** Starts watching a kind an application names (its changes then reach onChange). */
  watchComponentKind(type: ResourceType): void;
  /** Asks discovery again about a kind it does not know (a CRD installed after start). */
  discover(group: string, kind: string): Promise<void>;
}
