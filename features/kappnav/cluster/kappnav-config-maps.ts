/**
 * The ConfigMaps kAppNav reads (kappnav-config, and the status, action, section and NLS maps), from
 * informers scoped to where such maps can be (kappnav-prism.md §3.4):
 *
 * - every ConfigMap of kAppNav's namespace and of each KindActionMapping's namespace, where the maps of
 *   kind-level rules live;
 * - ConfigMaps labelled `kappnav.io/map-type` in every namespace: instance-level maps (rules with a `name`
 *   live in the resource's own namespace), as kAppNav's own ConfigMap cache watched them;
 * - every ConfigMap of every namespace, instead of the two above, once a KindActionMapping names
 *   instance-level status maps, so that those count whether labelled or not.
 * - any other map asked for by name, read directly and kept for a while (direct-map-reads.ts): an
 *   unlabelled instance-level map counts, as it did for kAppNav.
 *
 * A change of a ConfigMap that is one of kAppNav's (any of the first two kinds, or one that looks like a
 * status map) is reported, with whether it may move a status.
 */
import type { Logger } from 'pino';
import type { CacheSet } from '../../../pkg/kube/cache-set.ts';
import type { ResourceCache } from '../../../pkg/kube/resource-cache.ts';
import { CORE_TYPES } from '../../../pkg/kube/resource-type.ts';
import type { ConfigMap, ConfigMapSource } from '../kam/config-map-source.ts';
import { ruleText, type KindActionMapping } from '../kam/kind-action-mapping.ts';
import { KAPPNAV_CONFIG_NAME } from '../model/config.ts';
import { DirectMapReads } from './direct-map-reads.ts';
import { FollowedInformers, type InformerSpec } from './followed-informers.ts';

/** Marks a ConfigMap as a kAppNav map (`actions`, `status`, `sections`) wherever it is. */
const MAP_TYPE_LABEL = 'kappnav.io/map-type';
const STATUS_MAP_KEYS = ['exists', 'jsonpath', 'algorithm'];

/** The keys of the informers: every namespace, the labelled maps, or one namespace by name. */
const EVERY_NAMESPACE = '*';
const LABELLED = 'labelled:';

function namesInstanceStatusMaps(kam: KindActionMapping): boolean {
  const rules = kam.spec?.statusMappings;
  return (
    Array.isArray(rules) &&
    rules.some((rule) => ruleText((rule as { name?: unknown } | null)?.name) !== undefined)
  );
}

/** Whether a change to `configMap` is about a status map (or was, for the old version of a change). */
function looksLikeStatusMap(configMap: ConfigMap): boolean {
  const { name = '', labels } = configMap.metadata ?? {};
  return (
    labels?.[MAP_TYPE_LABEL] === 'status' ||
    STATUS_MAP_KEYS.some((key) => configMap.data?.[key] !== undefined) ||
    name.startsWith('kappnav.status-mapping')
  );
}

export class KappnavConfigMaps implements ConfigMapSource {
  private readonly informers: FollowedInformers;
  /** kAppNav's namespace and the KindActionMappings' namespaces, as last followed. */
  private mapNamespaces: ReadonlySet<string>;
  private readonly direct: DirectMapReads | undefined;

  constructor(
    caches: CacheSet,
    private readonly kappnavNamespace: string,
    onChange: (change: { status: boolean }) => void,
    log: Logger,
    /** Reads one ConfigMap (undefined when there is none); without it, only informers are consulted. */
    readConfigMap?: (namespace: string, name: string) => Promise<ConfigMap | undefined>,
  ) {
    this.mapNamespaces = new Set([kappnavNamespace]);
    this.direct =
      readConfigMap &&
      new DirectMapReads(readConfigMap, (map) => onChange({ status: looksLikeStatusMap(map) }));
    this.informers = new FollowedInformers(
      caches,
      (change) => {
        const versions = [change.old, change.new].filter((v): v is ConfigMap => v !== undefined);
        if (!versions.some((v) => this.isKappnavMap(v))) return;
        onChange({ status: versions.some((v) => this.concernsStatus(v)) });
      },
      log,
    );
    this.follow([]);
  }

  /** Follows the namespaces where `kams` place maps. */
  follow(kams: readonly KindActionMapping[]): void {
    this.mapNamespaces = new Set([
      this.kappnavNamespace,
      ...kams.flatMap((k) => k.metadata?.namespace ?? []),
    ]);
    const configMaps = CORE_TYPES.configMaps;
    const wanted = new Map<string, InformerSpec>(
      kams.some(namesInstanceStatusMaps)
        ? [[EVERY_NAMESPACE, { type: configMaps }]]
        : [
            [LABELLED, { type: configMaps, scope: { labelSelector: MAP_TYPE_LABEL } }],
            ...[...this.mapNamespaces].map((namespace): [string, InformerSpec] => [
              namespace,
              { type: configMaps, scope: { namespace } },
            ]),
          ],
    );
    this.informers.follow(wanted);
  }

  getConfigMap(namespace: string, name: string): ConfigMap | undefined {
    const whole = this.informers.get(EVERY_NAMESPACE) ?? this.informers.get(namespace);
    if (whole) return whole.get(namespace, name);
    return this.informers.get(LABELLED)?.get(namespace, name) ?? this.direct?.get(namespace, name);
  }

  caches(): ResourceCache[] {
    return this.informers.informers();
  }

  stop(): void {
    this.informers.stop();
  }

  private isKappnavMap(configMap: ConfigMap): boolean {
    const { namespace = '', labels } = configMap.metadata ?? {};
    return (
      this.mapNamespaces.has(namespace) ||
      labels?.[MAP_TYPE_LABEL] !== undefined ||
      looksLikeStatusMap(configMap)
    );
  }

  /** kappnav-config, or a ConfigMap that is (or was) a status map: a change may move any status. */
  private concernsStatus(configMap: ConfigMap): boolean {
    const { name, namespace } = configMap.metadata ?? {};
    return (
      (name === KAPPNAV_CONFIG_NAME && namespace === this.kappnavNamespace) || looksLikeStatusMap(configMap)
    );
  }
}
