/**
 * A `KappnavSource` in memory, for the runtime's tests: the objects of `MemoryCluster`, kAppNav's shipped
 * maps, kappnav-config and KindActionMapping (manifests/kappnav), and the events informers would send,
 * which the test triggers (`objectChanged`, `changed`) after changing the objects (`put`, `remove`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { CORE_TYPES, type ResourceType } from '../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import {
  KAPPNAV_CONFIG_NAME,
  readKappnavConfig,
  type KappnavConfig,
} from '../../../features/kappnav/model/config.ts';
import type { KindActionMapping } from '../../../features/kappnav/kam/kind-action-mapping.ts';
import { MemoryCluster } from './memory-cluster.ts';
import { TEST_TYPES } from './status-fixtures.ts';
import {
  namedComponentKinds,
  type ClusterEvent,
  type KappnavSource,
} from '../../../features/kappnav/cluster/kappnav-source.ts';
import type { KindDiscovery } from '../../../features/kappnav/cluster/object-reader.ts';
import type { ObjectChange } from '../../../features/kappnav/model/application-graph.ts';

const MANIFESTS = new URL('../../../manifests/kappnav/', import.meta.url);

/** Every object of manifests/kappnav: status, action, section and NLS maps, kappnav-config, the default KAM. */
function shippedKappnavObjects(): KubeObject[] {
  return readdirSync(MANIFESTS)
    .filter((file) => file.endsWith('.yaml'))
    .flatMap((file) =>
      parseAllDocuments(readFileSync(new URL(file, MANIFESTS), 'utf8')).map((d) => d.toJS() as KubeObject),
    )
    .filter((object) => object?.kind);
}

export const SOURCE_TYPES: readonly ResourceType[] = [
  ...TEST_TYPES,
  CORE_TYPES.namespaces,
  CORE_TYPES.kindActionMappings,
];

export function namespaceObject(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, uid: `uid-${name}` },
    status: { phase: 'Active' },
  };
}

export class MemoryKappnavSource extends MemoryCluster implements KappnavSource {
  readonly kappnavNamespace = 'kappnav';
  /** Whether the informers have listed; tests turn it off. */
  listed = true;
  private readonly listeners = new Set<(event: ClusterEvent) => void>();
  private followed: ResourceType[] = [];

  constructor(objects: Iterable<KubeObject> = []) {
    super(SOURCE_TYPES, [...shippedKappnavObjects(), ...objects]);
  }

  kindActionMappings(): readonly KindActionMapping[] {
    return this.list(CORE_TYPES.kindActionMappings);
  }

  namespaces(): readonly KubeObject[] {
    return this.list(CORE_TYPES.namespaces);
  }

  kappnavConfig(): KappnavConfig {
    return readKappnavConfig(this.getConfigMap(this.kappnavNamespace, KAPPNAV_CONFIG_NAME)?.data).config;
  }

  cached(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.list(type, namespace).find((o) => o.metadata?.name === name);
  }

  holds(type: ResourceType): boolean {
    return (
      type.kind === CORE_TYPES.applications.kind ||
      this.followed.some((t) => t.group === type.group && t.resource === type.resource)
    );
  }

  componentKinds(): readonly ResourceType[] {
    return this.followed;
  }

  onChange(listener: (event: ClusterEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells the listeners what an informer would: `change` of an application or component. */
  objectChanged(change: ObjectChange): void {
    this.emit({ type: 'object', change });
  }

  /** Tells the listeners something changed (after put/remove): objects, or maps (status maps included). */
  changed(what: 'objects' | 'maps' = 'objects'): void {
    this.emit(what === 'maps' ? { type: 'maps', status: true } : { type: 'object', change: {} });
  }

  synced(): boolean {
    return this.listed;
  }

  unsynced(): string[] {
    return this.listed ? [] : ['applications'];
  }

  staleness(): string[] {
    return [];
  }

  /** Follows the kinds the applications name, as the informer-backed cluster does. */
  prepare(): Promise<void> {
    this.followed = [...namedComponentKinds(this.applications(), this, this.kappnavConfig()).values()];
    return Promise.resolve();
  }

  /** The object of `kind` `namespace/name` as held now. */
  get(kind: string, name: string, namespace = 'default'): KubeObject | undefined {
    const type = SOURCE_TYPES.find((t) => t.kind === kind)!;
    return this.cached(type, namespace, name);
  }

  /** `kappnav.status.value` of an object, as stored. */
  value(kind: string, name: string, namespace = 'default'): string | undefined {
    return this.get(kind, name, namespace)?.metadata?.annotations?.['kappnav.status.value'];
  }

  private emit(event: ClusterEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

/** Discovery as the served kinds of `source` answer it (kinds by group, the groups serving a kind). */
export function sourceDiscovery(source: MemoryKappnavSource): KindDiscovery {
  return {
    forKind: (group, kind) => source.forKind(group, kind),
    groupsServingKind: (kind) => SOURCE_TYPES.filter((t) => t.kind === kind).map((t) => t.group),
  };
}
