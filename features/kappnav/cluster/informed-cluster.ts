/**
 * The status environment of a running prismgate, kept by informers, and the source of the reconciler's
 * events:
 *
 *   Applications (every namespace)              ─┐
 *   one informer per kind applications name     ─┴▶ objectChanged
 *   KindActionMappings, status maps, kappnav-config ─▶ everythingChanged
 *   CustomResourceDefinitions                   ─▶ servedKindsChanged (discovery is refreshed, then the
 *                                                  componentKinds are resolved again)
 *
 * Which kinds to follow is decided in `prepare()`, at the start of each reconciler batch, from the
 * applications of that moment; so is where status maps are followed, from the KindActionMappings.
 */
import type { Logger } from 'pino';
import type { SharedServices } from '../../feature.ts';
import type { ApiDiscovery } from '../../../pkg/kube/api-discovery.ts';
import type { ResourceCache } from '../../../pkg/kube/resource-cache.ts';
import { CORE_TYPES, type ResourceType } from '../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { APPLICATION_TYPE, readApplication } from '../model/application.ts';
import { KAPPNAV_CONFIG_NAME } from '../model/config.ts';
import type { ConfigMap } from '../kam/config-map-source.ts';
import type { KindActionMapping } from '../kam/kind-action-mapping.ts';
import { KindActionMappingStatusMapLocator } from '../kam/status-map-locator.ts';
import type { ObjectChange } from '../model/application-graph.ts';
import { referenceOf } from '../model/object-identity.ts';
import { DesignNameStatusMapLocator, FirstFoundStatusMapLocator } from '../status/status-map-locator.ts';
import { CacheClusterView } from './cache-cluster-view.ts';
import { changeOf } from './cache-event-change.ts';
import { FollowedInformers, type InformerSpec } from './followed-informers.ts';
import type { ProblemLog } from '../status/problem-log.ts';
import type { StatusEnvironment } from '../status/status-environment.ts';
import type { ClusterEvents } from '../runtime/status-reconciler.ts';
import { StatusMapConfigMaps } from './kappnav-config-maps.ts';
import { StatusSettingsSource, type StatusSettings } from '../status/status-settings.ts';

export interface InformedClusterOptions {
  services: SharedServices;
  problems: ProblemLog;
  /** How long a batch waits for a new informer's first list before it goes on without it. */
  syncWaitMs?: number;
  algorithmTimeoutMs?: number;
}

const STATUS_MAP_KEYS = ['exists', 'jsonpath', 'algorithm'];
const MAP_TYPE_LABEL = 'kappnav.io/map-type';

const isApplicationType = (type: Pick<ResourceType, 'group' | 'kind'>) =>
  type.group === APPLICATION_TYPE.group && type.kind === APPLICATION_TYPE.kind;

export class InformedCluster implements StatusEnvironment {
  readonly view: CacheClusterView;
  readonly registry: ApiDiscovery;
  private readonly applications: ResourceCache;
  private readonly kams: ResourceCache<KindActionMapping>;
  private readonly configMaps: StatusMapConfigMaps;
  private readonly components: FollowedInformers;
  private readonly settingsSource: StatusSettingsSource;
  private readonly kindListeners = new Set<() => void>();
  private readonly unsubscribes: (() => void)[] = [];
  /** Informers a batch has waited for once; one that never lists (a forbidden kind) is not waited for again. */
  private readonly awaited = new WeakSet<ResourceCache>();
  private readonly log: Logger;
  private events: ClusterEvents | undefined;

  constructor(private readonly options: InformedClusterOptions) {
    const { caches, discovery, kappnavNamespace, sandbox, log } = options.services;
    this.log = log;
    this.registry = discovery;
    const objectChanged = (change: ObjectChange) => this.events?.objectChanged(change);
    this.applications = caches.get(CORE_TYPES.applications);
    this.kams = caches.get<KindActionMapping>(CORE_TYPES.kindActionMappings);
    const crds = caches.get(CORE_TYPES.customResourceDefinitions);
    this.components = new FollowedInformers(caches, objectChanged, log);
    this.configMaps = new StatusMapConfigMaps(
      caches,
      kappnavNamespace,
      (change) => {
        if ([change.old, change.new].some((m) => m && this.concernsStatus(m)))
          this.events?.everythingChanged();
      },
      log,
    );
    this.unsubscribes.push(
      this.applications.onEvent((event) => objectChanged(changeOf(event))),
      this.kams.onEvent(() => this.events?.everythingChanged()),
      crds.onEvent(() => this.events?.servedKindsChanged()),
    );
    this.view = new CacheClusterView(this.applications, (type) => this.components.get(kindKey(type)));
    const locator = new FirstFoundStatusMapLocator([
      new KindActionMappingStatusMapLocator(() => this.kams.list(), this.configMaps),
      new DesignNameStatusMapLocator(this.configMaps, kappnavNamespace),
    ]);
    this.settingsSource = new StatusSettingsSource({
      configMaps: this.configMaps,
      locator,
      sandbox,
      namespace: kappnavNamespace,
      problems: options.problems,
      ...(options.algorithmTimeoutMs === undefined ? {} : { algorithmTimeoutMs: options.algorithmTimeoutMs }),
    });
  }

  /** Sends informer changes to `events` from now on. */
  connect(events: ClusterEvents): void {
    this.events = events;
  }

  onKindsChanged(listener: () => void): void {
    this.kindListeners.add(listener);
  }

  /** The kinds applications name as componentKinds (served ones, Application aside), as last prepared. */
  componentKinds(): ResourceType[] {
    return this.components.types();
  }

  settings(): StatusSettings {
    return this.settingsSource.current();
  }

  current(object: KubeObject): KubeObject | undefined {
    const { group, kind, namespace, name } = referenceOf(object);
    const type = isApplicationType({ group, kind }) ? APPLICATION_TYPE : this.registry.forKind(group, kind);
    return type && this.view.get(type, namespace, name);
  }

  synced(): boolean {
    return this.applications.hasSynced && this.configMaps.caches().every((c) => c.hasSynced);
  }

  async prepare({ rediscover }: { rediscover: boolean }): Promise<{ kindsChanged: boolean }> {
    if (rediscover) await this.registry.refresh();
    await this.settle([this.applications, this.kams, ...this.configMaps.caches()]);
    this.configMaps.follow(this.kams.list());
    const { config } = this.settings();
    const wanted = new Map<string, InformerSpec>();
    for (const object of this.applications.list()) {
      const application = readApplication(object, this.registry, config);
      if (!application.inScope) continue;
      for (const type of application.componentKinds)
        if (!isApplicationType(type)) wanted.set(kindKey(type), { type });
    }
    const kindsChanged = this.components.follow(wanted);
    if (kindsChanged) for (const listener of this.kindListeners) listener();
    await this.settle([...this.configMaps.caches(), ...this.components.informers()]);
    return { kindsChanged };
  }

  stop(): void {
    this.events = undefined;
    for (const unsubscribe of this.unsubscribes) unsubscribe();
    this.components.stop();
    this.configMaps.stop();
  }

  /** kappnav-config, or a ConfigMap that is (or was) a status map: a change may move any status. */
  private concernsStatus(configMap: ConfigMap): boolean {
    const { name, namespace, labels } = configMap.metadata ?? {};
    if (name === KAPPNAV_CONFIG_NAME && namespace === this.options.services.kappnavNamespace) return true;
    return (
      labels?.[MAP_TYPE_LABEL] === 'status' ||
      STATUS_MAP_KEYS.some((key) => configMap.data?.[key] !== undefined) ||
      (name ?? '').startsWith('kappnav.status-mapping')
    );
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
      this.log.warn(
        { resources: late, waitMs },
        'informers have not listed yet; statuses may miss their objects',
      );
  }
}

function kindKey(type: Pick<ResourceType, 'group' | 'kind'>): string {
  return `${type.group}/${type.kind}`;
}
