/**
 * What the kAppNav runtime reads of the cluster, and how it hears of changes. `KappnavCluster` serves it
 * from the process's shared informers; tests serve it from memory (test/support/kappnav).
 *
 * Reads are synchronous: nothing here calls the API server on a request, and a kind no informer follows
 * simply has no objects.
 */
import { CORE_TYPES, type ResourceType } from '../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import type { ConfigMapSource } from '../kam/config-map-source.ts';
import type { KindActionMapping } from '../kam/kind-action-mapping.ts';
import { APPLICATION_TYPE, readApplication } from '../model/application.ts';
import type { ObjectChange } from '../model/application-graph.ts';
import type { ClusterView } from '../model/cluster-view.ts';
import type { ResourceRegistry } from '../model/component-kinds.ts';
import type { KappnavConfig } from '../model/config.ts';
import { referenceOf } from '../model/object-identity.ts';

export type ClusterEvent =
  /** An Application, or an object of a kind some application names as a component kind, changed. */
  | { type: 'object'; change: ObjectChange }
  /**
   * A KindActionMapping or a kAppNav ConfigMap (kappnav-config, a status, action, section or NLS map)
   * changed; `status` tells whether it may move a status (a status map, kappnav-config, a KindActionMapping).
   */
  | { type: 'maps'; status: boolean }
  /** The component kinds followed changed: objects of a kind no longer followed are gone from every view. */
  | { type: 'component-kinds' }
  /** A CustomResourceDefinition changed: the served kinds, and so what componentKinds resolve to, may have. */
  | { type: 'served-kinds' }
  | { type: 'namespaces' };

export interface KappnavSource extends ClusterView, ConfigMapSource, ResourceRegistry {
  /** kAppNav's namespace: kappnav-config, the shipped maps, the default KindActionMapping. */
  readonly kappnavNamespace: string;
  kindActionMappings(): readonly KindActionMapping[];
  namespaces(): readonly KubeObject[];
  /** `kappnav-config`, read once per version of the ConfigMap (defaults for what it does not say). */
  kappnavConfig(): KappnavConfig;
  /** The object of `type` as held, when its kind is followed (Applications always are). */
  cached(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined;
  /**
   * Whether the kind is followed and listed, so that `cached` answers for an absent object too: there is
   * nothing to ask kube-apiserver (which may not even let prismgate get it, as for Secrets).
   */
  holds(type: ResourceType): boolean;
  /** The kinds followed because applications name them (served ones, Application aside), as last prepared. */
  componentKinds(): readonly ResourceType[];
  onChange(listener: (event: ClusterEvent) => void): () => void;
  /** True once everything a status reads has been listed; before that a computed status could be wrong. */
  synced(): boolean;
  /** What has not been listed yet, by resource name (for readiness messages). */
  unsynced(): string[];
  /** Why answers may be out of date: followed informers not heard from for `silentAfterMs`. */
  staleness(silentAfterMs: number): string[];
  /**
   * Brings the followed informers in line with what the applications name (one per componentKind) and
   * where maps may be, after refreshing the served kinds when `rediscover`; resolves when they can be read.
   */
  prepare(options: { rediscover: boolean }): Promise<void>;
}

/**
 * Secrets, when an Application names them, are held by name, labels and version only (a metadata-only
 * informer: no data, no annotations, which may repeat the data), and never reach the status webhook:
 * their status is what their status map makes of that (issue 15, finding 5).
 */
export const isSecretType = (type: Pick<ResourceType, 'group' | 'resource'>) =>
  type.group === CORE_TYPES.secrets.group && type.resource === CORE_TYPES.secrets.resource;

const isApplicationType = (type: Pick<ResourceType, 'group' | 'kind'>) =>
  type.group === APPLICATION_TYPE.group && type.kind === APPLICATION_TYPE.kind;

/** `group/kind`: the key of a component kind. */
export function kindKey(type: Pick<ResourceType, 'group' | 'kind'>): string {
  return `${type.group}/${type.kind}`;
}

/**
 * The kinds to follow for `applications`: the componentKinds of those in the `app-namespaces` frontier,
 * by `kindKey`, without Application (its informer is always there).
 */
export function namedComponentKinds(
  applications: readonly KubeObject[],
  registry: ResourceRegistry,
  config: KappnavConfig,
): Map<string, ResourceType> {
  const wanted = new Map<string, ResourceType>();
  for (const object of applications) {
    const application = readApplication(object, registry, config);
    if (!application.inScope) continue;
    for (const type of application.componentKinds)
      if (!isApplicationType(type)) wanted.set(kindKey(type), type);
  }
  return wanted;
}

/** The version of `object` (same group, kind, namespace, name) held now; undefined when it is gone. */
export function currentVersion(source: KappnavSource, object: KubeObject): KubeObject | undefined {
  const { group, kind, namespace, name } = referenceOf(object);
  const type = isApplicationType({ group, kind }) ? APPLICATION_TYPE : source.forKind(group, kind);
  return type && source.cached(type, namespace, name);
}
