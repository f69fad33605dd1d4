/**
 * The ConfigMaps that status reads (`kappnav-config` and the status maps), from informers scoped to where
 * those maps can be: kAppNav's namespace and the namespace of every KindActionMapping, whose kind-level
 * maps live next to it (kappnav-prism.md §3.4). Once a KindActionMapping names instance-level status maps
 * (rules with a `name`), those live in each resource's own namespace, and ConfigMaps are followed in all
 * namespaces instead.
 */
import type { Logger } from 'pino';
import type { CacheSet } from '../../../pkg/kube/cache-set.ts';
import type { ResourceCache } from '../../../pkg/kube/resource-cache.ts';
import { CORE_TYPES } from '../../../pkg/kube/resource-type.ts';
import type { ConfigMap, ConfigMapSource } from '../kam/config-map-source.ts';
import { ruleText, type KindActionMapping } from '../kam/kind-action-mapping.ts';
import type { ObjectChange } from '../model/application-graph.ts';
import { FollowedInformers, type InformerSpec } from './followed-informers.ts';

/** The key of the informer over every namespace. */
const EVERY_NAMESPACE = '*';

function namesInstanceMaps(kam: KindActionMapping): boolean {
  const rules = kam.spec?.statusMappings;
  return (
    Array.isArray(rules) &&
    rules.some((rule) => ruleText((rule as { name?: unknown } | null)?.name) !== undefined)
  );
}

export class StatusMapConfigMaps implements ConfigMapSource {
  private readonly informers: FollowedInformers;

  constructor(
    caches: CacheSet,
    private readonly kappnavNamespace: string,
    onChange: (change: ObjectChange) => void,
    log: Logger,
  ) {
    this.informers = new FollowedInformers(caches, onChange, log);
    this.follow([]);
  }

  /** Follows the namespaces that `kams` place status maps in. */
  follow(kams: readonly KindActionMapping[]): void {
    const namespaces = kams.some(namesInstanceMaps)
      ? [EVERY_NAMESPACE]
      : [this.kappnavNamespace, ...kams.flatMap((k) => k.metadata?.namespace ?? [])];
    const wanted = new Map<string, InformerSpec>(
      namespaces.map((key) => [
        key,
        { type: CORE_TYPES.configMaps, scope: key === EVERY_NAMESPACE ? {} : { namespace: key } },
      ]),
    );
    this.informers.follow(wanted);
  }

  getConfigMap(namespace: string, name: string): ConfigMap | undefined {
    const cache = this.informers.get(EVERY_NAMESPACE) ?? this.informers.get(namespace);
    return cache?.get(namespace, name);
  }

  caches(): ResourceCache[] {
    return this.informers.informers();
  }

  stop(): void {
    this.informers.stop();
  }
}
