/**
 * The cluster as the kAppNav model reads it, backed by the process's shared informer caches (`CacheSet`)
 * and discovery: Applications, KindActionMappings, the kAppNav ConfigMaps (every ConfigMap of the kAppNav
 * namespace, and the ones labelled `kappnav.io/map-type` elsewhere, which is where instance-level maps
 * live), Namespaces, and one cache per kind that an application names as a component kind, started the
 * first time an application names it. Nothing here calls the API server on a request.
 */
import type { Logger } from 'pino';
import type { ApiDiscovery } from '../../../pkg/kube/api-discovery.ts';
import type { CacheSet } from '../../../pkg/kube/cache-set.ts';
import type { CacheEvent, ResourceCache } from '../../../pkg/kube/resource-cache.ts';
import { CORE_TYPES, type ResourceType } from '../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { KAPPNAV_CONFIG_NAME, readKappnavConfig, type KappnavConfig } from '../model/config.ts';
import type { ConfigMap } from '../kam/config-map-source.ts';
import type { KindActionMapping } from '../kam/kind-action-mapping.ts';
import type { ClusterChange, KappnavSource } from './kappnav-source.ts';

/** ConfigMaps outside the kAppNav namespace are cached only with this label (kAppNav's own cache used it too). */
const MAP_TYPE_LABEL = 'kappnav.io/map-type';

function sameType(a: ResourceType, b: ResourceType): boolean {
  return a.group === b.group && a.kind === b.kind;
}

export class KappnavCluster implements KappnavSource {
  private readonly subscribed = new Set<ResourceCache>();
  private readonly listeners = new Set<(change: ClusterChange) => void>();
  private readonly core: ReadonlyMap<ResourceCache, ClusterChange>;
  private configSource: KubeObject | undefined;
  private config: KappnavConfig | undefined;

  constructor(
    private readonly caches: CacheSet,
    private readonly discovery: Pick<ApiDiscovery, 'forKind' | 'resolveKind'>,
    readonly kappnavNamespace: string,
    private readonly log: Logger,
  ) {
    this.core = new Map<ResourceCache, ClusterChange>([
      [this.applicationCache, 'applications'],
      [this.kamCache, 'maps'],
      [this.kappnavConfigMaps, 'maps'],
      [this.labelledConfigMaps, 'maps'],
      [this.namespaceCache, 'namespaces'],
    ]);
    for (const [cache, change] of this.core) this.subscribe(cache, change);
  }

  private get applicationCache() {
    return this.caches.get(CORE_TYPES.applications);
  }
  private get kamCache() {
    return this.caches.get<KindActionMapping>(CORE_TYPES.kindActionMappings);
  }
  private get kappnavConfigMaps() {
    return this.caches.get<ConfigMap>(CORE_TYPES.configMaps, { namespace: this.kappnavNamespace });
  }
  private get labelledConfigMaps() {
    return this.caches.get<ConfigMap>(CORE_TYPES.configMaps, { labelSelector: MAP_TYPE_LABEL });
  }
  private get namespaceCache() {
    return this.caches.get(CORE_TYPES.namespaces);
  }

  private subscribe(cache: ResourceCache, change: ClusterChange): void {
    if (this.subscribed.has(cache)) return;
    this.subscribed.add(cache);
    cache.onEvent((_event: CacheEvent<KubeObject>) => {
      for (const listener of this.listeners) listener(change);
    });
  }

  onChange(listener: (change: ClusterChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The caches readiness waits for: those every answer needs (component caches only make answers partial). */
  coreCaches(): ResourceCache[] {
    return [...this.core.keys()];
  }

  synced(): boolean {
    return this.coreCaches().every((cache) => cache.hasSynced);
  }

  /** Every cache the model reads. */
  allCaches(): ResourceCache[] {
    return [...this.subscribed];
  }

  // ResourceRegistry
  forKind(group: string, kind: string): ResourceType | undefined {
    return this.discovery.forKind(group, kind);
  }

  async discover(group: string, kind: string): Promise<void> {
    try {
      await this.discovery.resolveKind(group, kind);
    } catch (error) {
      this.log.warn({ err: error, group, kind }, 'discovery failed');
    }
  }

  watchComponentKind(type: ResourceType): void {
    if (sameType(type, CORE_TYPES.applications)) return;
    this.subscribe(this.caches.get(type), 'components');
  }

  // ClusterView
  list(type: ResourceType, namespace?: string): readonly KubeObject[] {
    if (sameType(type, CORE_TYPES.applications)) return this.applications(namespace);
    const cache = this.caches.peek(type);
    if (!cache) return [];
    return cache.list(type.namespaced ? namespace : undefined);
  }

  applications(namespace?: string): readonly KubeObject[] {
    return this.applicationCache.list(namespace);
  }

  getApplication(namespace: string, name: string): KubeObject | undefined {
    return this.applicationCache.get(namespace, name);
  }

  cached(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    if (sameType(type, CORE_TYPES.applications)) return this.applicationCache.get(namespace, name);
    return this.caches.peek(type)?.get(namespace, name);
  }

  // ConfigMapSource
  getConfigMap(namespace: string, name: string): ConfigMap | undefined {
    const cache = namespace === this.kappnavNamespace ? this.kappnavConfigMaps : this.labelledConfigMaps;
    return cache.get(namespace, name);
  }

  kindActionMappings(): readonly KindActionMapping[] {
    return this.kamCache.list();
  }

  namespaces(): readonly KubeObject[] {
    return this.namespaceCache.list();
  }

  /** Read once per version of the ConfigMap; its problems are logged then. */
  kappnavConfig(): KappnavConfig {
    const source = this.getConfigMap(this.kappnavNamespace, KAPPNAV_CONFIG_NAME);
    if (!this.config || source !== this.configSource) {
      const { config, problems } = readKappnavConfig(source?.data);
      for (const problem of problems) this.log.warn({ configMap: KAPPNAV_CONFIG_NAME }, problem);
      this.config = config;
      this.configSource = source;
    }
    return this.config;
  }
}
