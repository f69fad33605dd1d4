/**
 * What the injection webhook, the reconciler and the lifecycle API read: the cluster as the informers hold
 * it, the served kinds and the settings of the moment. `InformedCluster` is the running implementation;
 * unit tests use one over a `MemoryCluster`.
 */
import type { KubeObject } from '../../../pkg/kube/types.ts';
import type { ClusterView } from '../model/cluster-view.ts';
import type { ResourceRegistry } from '../model/component-kinds.ts';
import type { StatusSources } from './status-pass.ts';
import type { StatusSettings } from './status-settings.ts';

export interface StatusEnvironment {
  readonly view: ClusterView;
  readonly registry: ResourceRegistry;
  settings(): StatusSettings;
  /** The version of `object` (same group, kind, namespace, name) held now; undefined when it is gone. */
  current(object: KubeObject): KubeObject | undefined;
  /** True once everything status reads has been listed; before that a computed status could be wrong. */
  synced(): boolean;
  /**
   * Brings the informers in line with what applications name (one per componentKind) and where status
   * maps may be, after refreshing the served kinds when `rediscover`; resolves when they can be read.
   * Returns whether the set of followed kinds changed, which makes every status worth recomputing.
   */
  prepare(options: { rediscover: boolean }): Promise<{ kindsChanged: boolean }>;
}

/** The view, registry and settings of this moment, as a `StatusPass` takes them. */
export function statusSources(environment: StatusEnvironment): StatusSources {
  const { config, engine } = environment.settings();
  return { view: environment.view, registry: environment.registry, config, engine };
}
