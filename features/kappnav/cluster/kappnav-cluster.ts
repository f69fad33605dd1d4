/**
 * The cluster as kAppNav reads it, from the process's shared informers (`CacheSet`): one view for the
 * status webhook, the reconciler, the lifecycle API and the prism resources.
 *
 *   Applications (every namespace)                         ─┐
 *   one informer per kind that applications name            ─┴▶ object
 *   KindActionMappings, kAppNav's ConfigMaps (KappnavConfigMaps) ─▶ maps
 *   CustomResourceDefinitions                                ─▶ served-kinds (rediscover, then resolve
 *                                                               the componentKinds again)
 *   Namespaces                                               ─▶ namespaces
 *
 * Which component kinds to follow, and where maps may be, is decided in `prepare()`, from the
 * applications and KindActionMappings of that moment; informers are acquired from the CacheSet (a type
 * another feature watches is listed once) and released when no application names their kind any more.
 */
import type { Logger } from 'pino';
import type { ApiDiscovery } from '../../../pkg/kube/api-discovery.ts';
import type { CacheSet } from '../../../pkg/kube/cache-set.ts';
import type { ResourceCache } from '../../../pkg/kube/resource-cache.ts';
import { KubeApiError, type KubeClient } from '../../../pkg/kube/kube-client.ts';
import { CORE_TYPES, objectPath, type ResourceType } from '../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import type { ConfigMap } from '../kam/config-map-source.ts';
import type { KindActionMapping } from '../kam/kind-action-mapping.ts';
import { APPLICATION_TYPE } from '../model/application.ts';
import type { ObjectChange } from '../model/application-graph.ts';
import type { LabelCondition } from '../model/cluster-view.ts';
import type { ResourceRegistry } from '../model/component-kinds.ts';
import { KAPPNAV_CONFIG_NAME, readKappnavConfig, type KappnavConfig } from '../model/config.ts';
import type { ProblemLog } from '../status/problem-log.ts';
import { staleness } from './cache-health.ts';
import { changeOf } from './cache-event-change.ts';
import { FollowedInformers, type InformerSpec } from './followed-informers.ts';
import { KappnavConfigMaps } from './kappnav-config-maps.ts';
import {
  isSecretType,
  kindKey,
  namedComponentKinds,
  type ClusterEvent,
  type KappnavSource,
} from './kappnav-source.ts';

export interface KappnavClusterOptions {
  caches: CacheSet;
  /** The served kinds, refreshed when a CustomResourceDefinition changed. */
  discovery: ResourceRegistry & Pick<ApiDiscovery, 'refresh'>;
  kappnavNamespace: string;
  /** kappnav-config's problems go here, each once. */
  problems: ProblemLog;
  log: Logger;
  /** How long `prepare()` waits for a new informer's first list before it goes on without it. */
  syncWaitMs?: number;
  /** Reads ConfigMaps no informer holds (unlabelled instance-level maps); without it they are not seen. */
  client?: Pick<KubeClient, 'request'>;
}

/** The index of objects by namespace and label, on the shared informers (built once, kept by them). */
const LABEL_INDEX = 'kappnav/namespace-label';
/** How Secrets an Application names are followed (isSecretType). */
const SECRET_SCOPE = { metadataOnly: true };

function labelIndexKey(namespace: string, key: string, value: string): string {
  return `${namespace}\u0000${key}\u0000${value}`;
}

function labelIndexKeys(object: KubeObject): string[] {
  const namespace = object.metadata?.namespace ?? '';
  return Object.entries(object.metadata?.labels ?? {}).map(([key, value]) =>
    labelIndexKey(namespace, key, value),
  );
}

/** One ConfigMap as prismgate reads it, undefined when there is none. */
function readConfigMap(client: Pick<KubeClient, 'request'>) {
  return async (namespace: string, name: string): Promise<ConfigMap | undefined> => {
    try {
      return await client.request<ConfigMap>('GET', objectPath(CORE_TYPES.configMaps, namespace, name));
    } catch (error) {
      if (error instanceof KubeApiError && error.code === 404) return undefined;
      throw error;
    }
  };
}

const isApplicationType = (type: Pick<ResourceType, 'group' | 'kind'>) =>
  type.group === APPLICATION_TYPE.group && type.kind === APPLICATION_TYPE.kind;

export class KappnavCluster implements KappnavSource {
  readonly kappnavNamespace: string;
  private readonly applicationCache: ResourceCache;
  private readonly kams: ResourceCache<KindActionMapping>;
  private readonly namespaceCache: ResourceCache;
  private readonly configMaps: KappnavConfigMaps;
  private readonly components: FollowedInformers;
  private readonly listeners = new Set<(event: ClusterEvent) => void>();
  private readonly unsubscribes: (() => void)[] = [];
  /** Informers `prepare()` has waited for once; one that never lists (a forbidden kind) is not waited for again. */
  private readonly awaited = new WeakSet<ResourceCache>();
  private config: { source: ConfigMap | undefined; read: KappnavConfig } | undefined;

  constructor(private readonly options: KappnavClusterOptions) {
    const { caches, log } = options;
    this.kappnavNamespace = options.kappnavNamespace;
    const objectChanged = (change: ObjectChange) => this.emit({ type: 'object', change });
    this.applicationCache = caches.get(CORE_TYPES.applications);
    this.kams = caches.get<KindActionMapping>(CORE_TYPES.kindActionMappings);
    this.namespaceCache = caches.get(CORE_TYPES.namespaces);
    const crds = caches.get(CORE_TYPES.customResourceDefinitions);
    this.components = new FollowedInformers(caches, objectChanged, log);
    this.configMaps = new KappnavConfigMaps(
      caches,
      this.kappnavNamespace,
      ({ status }) => this.emit({ type: 'maps', status }),
      log,
      options.client && readConfigMap(options.client),
    );
    this.unsubscribes.push(
      this.applicationCache.onEvent((event) => objectChanged(changeOf(event))),
      this.kams.onEvent(() => this.emit({ type: 'maps', status: true })),
      crds.onEvent(() => this.emit({ type: 'served-kinds' })),
      this.namespaceCache.onEvent(() => this.emit({ type: 'namespaces' })),
    );
  }

  onChange(listener: (event: ClusterEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ResourceRegistry
  forKind(group: string, kind: string): ResourceType | undefined {
    return this.options.discovery.forKind(group, kind);
  }

  // ClusterView
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

  applications(namespace?: string): readonly KubeObject[] {
    return this.applicationCache.list(namespace);
  }

  getApplication(namespace: string, name: string): KubeObject | undefined {
    return this.applicationCache.get(namespace, name);
  }

  cached(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.cacheOf(type)?.get(namespace, name);
  }

  holds(type: ResourceType): boolean {
    const cache = this.cacheOf(type);
    // A cache RBAC refuses counts as synced and empty: it does not know what exists.
    return cache !== undefined && cache.hasSynced && !cache.forbidden;
  }

  // ConfigMapSource
  getConfigMap(namespace: string, name: string): ConfigMap | undefined {
    return this.configMaps.getConfigMap(namespace, name);
  }

  kindActionMappings(): readonly KindActionMapping[] {
    return this.kams.list();
  }

  namespaces(): readonly KubeObject[] {
    return this.namespaceCache.list();
  }

  kappnavConfig(): KappnavConfig {
    const source = this.getConfigMap(this.kappnavNamespace, KAPPNAV_CONFIG_NAME);
    if (!this.config || this.config.source !== source) {
      const { config, problems } = readKappnavConfig(source?.data);
      this.options.problems.report(problems);
      this.config = { source, read: config };
    }
    return this.config.read;
  }

  componentKinds(): ResourceType[] {
    return this.components.types();
  }

  synced(): boolean {
    return this.coreCaches().every((cache) => cache.hasSynced);
  }

  unsynced(): string[] {
    return this.coreCaches()
      .filter((cache) => !cache.hasSynced)
      .map((cache) => cache.type.resource);
  }

  staleness(silentAfterMs: number): string[] {
    const caches = [...this.coreCaches(), ...this.components.informers()];
    return caches.flatMap((cache) => staleness(cache, silentAfterMs) ?? []);
  }

  async prepare({ rediscover }: { rediscover: boolean }): Promise<void> {
    if (rediscover) await this.options.discovery.refresh();
    await this.settle(this.coreCaches());
    this.configMaps.follow(this.kams.list());
    const named = namedComponentKinds(this.applicationCache.list(), this, this.kappnavConfig());
    const wanted = new Map<string, InformerSpec>(
      [...named].map(([key, type]) => [
        key,
        { type, ...(isSecretType(type) ? { scope: SECRET_SCOPE } : {}) },
      ]),
    );
    if (this.components.follow(wanted)) this.emit({ type: 'component-kinds' });
    await this.settle([...this.configMaps.caches(), ...this.components.informers()]);
  }

  stop(): void {
    for (const unsubscribe of this.unsubscribes) unsubscribe();
    this.listeners.clear();
    this.components.stop();
    this.configMaps.stop();
  }

  /** What every answer needs listed (a component kind's informer only makes answers partial). */
  private coreCaches(): ResourceCache[] {
    return [this.applicationCache, this.kams, this.namespaceCache, ...this.configMaps.caches()];
  }

  private cacheOf(type: ResourceType): ResourceCache | undefined {
    return isApplicationType(type) ? this.applicationCache : this.components.get(kindKey(type));
  }

  private emit(event: ClusterEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** Waits, once per informer and at most `syncWaitMs`, for the first list of `caches`. */
  private async settle(caches: readonly ResourceCache<KubeObject>[]): Promise<void> {
    const pending = caches.filter((c) => !c.hasSynced && !this.awaited.has(c));
    if (pending.length === 0) return;
    pending.forEach((c) => this.awaited.add(c));
    const waitMs = this.options.syncWaitMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)));
    await Promise.race([Promise.all(pending.map((c) => c.synced)), deadline]);
    clearTimeout(timer);
    const late = pending.filter((c) => !c.hasSynced).map((c) => c.type.resource);
    if (late.length > 0)
      this.options.log.warn(
        { resources: late, waitMs },
        'informers have not listed yet; kAppNav answers may miss their objects',
      );
  }
}
