/**
 * The status map of a resource (kappnav-prism.md §3.5 "Status maps", §4.2): the first status map found
 * through `statusMappings` candidates, with no merging; else `kappnav.status-mapping-unregistered`, looked
 * up in the namespaces of those same candidates.
 */
import type { KubeObject } from '../../../pkg/kube/types.ts';
import type { StatusMapLocator } from '../status/status-map-locator.ts';
import { candidateMaps, type CandidateMap } from './candidate-maps.ts';
import type { ConfigMap, ConfigMapSource, LocatedConfigMap } from './config-map-source.ts';
import type { KindActionMapping } from './kind-action-mapping.ts';
import { locateConfigMaps } from './located-maps.ts';
import { mappingSubjectOf, type MappingSubject, type SubjectOptions } from './mapping-subject.ts';

export const UNREGISTERED_STATUS_MAP = 'kappnav.status-mapping-unregistered';

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

/** The status engine's locator over the KindActionMappings of the moment (read on every lookup). */
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
