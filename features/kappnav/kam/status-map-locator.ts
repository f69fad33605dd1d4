/**
 * Which status map applies to a resource (kappnav-prism.md §3.5 "Status maps", §4.2).
 *
 * kAppNav finds it through KindActionMapping `statusMappings` candidates: the first status map found, with
 * no merging; else `kappnav.status-mapping-unregistered`, looked up in the namespaces of those same
 * candidates. prismgate asks the design's plain names second (`kappnav.status-mapping.<kind>`, then the
 * unregistered map, in kAppNav's namespace), so status works before, or without, any KindActionMapping that
 * names status maps: `statusMapLocator` is that chain, and the one locator the runtime uses.
 */
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { candidateMaps, type CandidateMap } from './candidate-maps.ts';
import type { ConfigMap, ConfigMapSource, LocatedConfigMap } from './config-map-source.ts';
import type { KindActionMapping } from './kind-action-mapping.ts';
import { locateConfigMaps } from './located-maps.ts';
import { mappingSubjectOf, type MappingSubject, type SubjectOptions } from './mapping-subject.ts';

export const UNREGISTERED_STATUS_MAP = 'kappnav.status-mapping-unregistered';

/** kAppNav's namespace as the design names it, where the design's status maps are by default. */
export const KAPPNAV_NAMESPACE = 'kappnav';

export interface StatusMapLocator {
  /** The status-mapping ConfigMap for `resource`, or undefined when none applies, not even the unregistered one. */
  locate(resource: KubeObject): ConfigMap | undefined;
}

export interface StatusMapLocation {
  /** The status map to evaluate, or undefined when neither a mapped nor the unregistered map exists. */
  found: LocatedConfigMap | undefined;
  /** The candidates the map was looked up under: the unregistered ones when the fallback was used. */
  candidates: CandidateMap[];
}

export function locateStatusMap(
  subject: MappingSubject,
  kams: readonly KindActionMapping[],
  source: ConfigMapSource,
): StatusMapLocation {
  const candidates = candidateMaps(subject, kams, 'status-mapping');
  const [found] = locateConfigMaps(candidates, source);
  if (found) return { found, candidates };
  const unregistered = candidates.map((candidate) => ({ ...candidate, name: UNREGISTERED_STATUS_MAP }));
  return { found: locateConfigMaps(unregistered, source)[0], candidates: unregistered };
}

/** The KindActionMappings' status map, over the KindActionMappings of the moment (read on every lookup). */
export class KindActionMappingStatusMapLocator implements StatusMapLocator {
  constructor(
    private readonly kams: () => readonly KindActionMapping[],
    private readonly configMaps: ConfigMapSource,
    private readonly subjectOptions: SubjectOptions = {},
  ) {}

  locate(resource: KubeObject): ConfigMap | undefined {
    const subject = mappingSubjectOf(resource, this.subjectOptions);
    return locateStatusMap(subject, this.kams(), this.configMaps).found?.configMap;
  }
}

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

/** The first map that any of `locators` finds, asked in order. */
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

/** What locating a status map reads: the KindActionMappings and the ConfigMaps of the moment. */
export interface StatusMapSources extends ConfigMapSource {
  readonly kappnavNamespace: string;
  kindActionMappings(): readonly KindActionMapping[];
}

/** The KindActionMappings' status map, else the design's names in kAppNav's namespace. */
export function statusMapLocator(sources: StatusMapSources): StatusMapLocator {
  return new FirstFoundStatusMapLocator([
    new KindActionMappingStatusMapLocator(() => sources.kindActionMappings(), sources),
    new DesignNameStatusMapLocator(sources, sources.kappnavNamespace),
  ]);
}
