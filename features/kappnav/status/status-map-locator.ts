/**
 * Which status mapping applies to a resource (kappnav-prism.md §4.2).
 *
 * kAppNav finds it through KindActionMapping `statusMappings` candidates, the first found winning, then
 * `kappnav.status-mapping-unregistered`; that locator lives with the KindActionMapping code
 * (features/kappnav/kam/) and implements `StatusMapLocator`. `DesignNameStatusMapLocator` is the design's plain
 * naming, used when no KindActionMapping applies and in tests.
 */
import type { KubeObject } from '../../../pkg/kube/types.ts';
import type { ConfigMap, ConfigMapSource } from '../kam/config-map-source.ts';
import { UNREGISTERED_STATUS_MAP } from '../kam/status-map-locator.ts';

export interface StatusMapLocator {
  /** The status-mapping ConfigMap for `resource`, or undefined when none applies, not even the unregistered one. */
  locate(resource: KubeObject): ConfigMap | undefined;
}

export const KAPPNAV_NAMESPACE = 'kappnav';

/** `kappnav.status-mapping.<lower-case kind>`, else `kappnav.status-mapping-unregistered`, in one namespace. */
export class DesignNameStatusMapLocator implements StatusMapLocator {
  constructor(
    private readonly configMaps: ConfigMapSource,
    private readonly namespace: string = KAPPNAV_NAMESPACE,
  ) {}

  locate(resource: KubeObject): ConfigMap | undefined {
    return (
      this.configMaps.getConfigMap(
        this.namespace,
        `kappnav.status-mapping.${(resource.kind ?? '').toLowerCase()}`,
      ) ?? this.configMaps.getConfigMap(this.namespace, UNREGISTERED_STATUS_MAP)
    );
  }
}

/**
 * The first map that any of `locators` finds, asked in order: prismgate asks the KindActionMapping
 * `statusMappings` first and the design's names second, so status works before, or without, any
 * KindActionMapping that names status maps.
 */
export class FirstFoundStatusMapLocator implements StatusMapLocator {
  constructor(private readonly locators: readonly StatusMapLocator[]) {}

  locate(resource: KubeObject): ConfigMap | undefined {
    for (const locator of this.locators) {
      const found = locator.locate(resource);
      if (found) return found;
    }
    return undefined;
  }
}
