/**
 * A `KappnavSource` in memory, for model and resource tests: the objects of `MemoryCluster` (from
 * features/kappnav), kAppNav's shipped maps and KindActionMapping (manifests/kappnav), and change
 * notifications the test triggers with `changed()`.
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
import type { ClusterChange, KappnavSource } from '../../../features/kappnav/cluster/kappnav-source.ts';
import type { KindDiscovery } from '../../../features/kappnav/cluster/object-reader.ts';

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
  private readonly listeners = new Set<(change: ClusterChange) => void>();
  readonly watchedKinds = new Set<string>();

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

  onChange(listener: (change: ClusterChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells the model something changed (after put/remove). */
  changed(change: ClusterChange = 'components'): void {
    for (const listener of this.listeners) listener(change);
  }

  synced(): boolean {
    return true;
  }

  watchComponentKind(type: ResourceType): void {
    this.watchedKinds.add(`${type.group}/${type.kind}`);
  }

  discover(): Promise<void> {
    return Promise.resolve();
  }
}

/** Discovery as the served kinds of `source` answer it (kinds by group, the groups serving a kind). */
export function sourceDiscovery(source: MemoryKappnavSource): KindDiscovery {
  return {
    forKind: (group, kind) => source.forKind(group, kind),
    groupsServingKind: (kind) => SOURCE_TYPES.filter((t) => t.kind === kind).map((t) => t.group),
  };
}
