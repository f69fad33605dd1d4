/**
 * The KindActionMapping preview (kappnav-prism.md §1.4.7, `KindActionMappingEndpoint`): for a resource
 * described by its identity alone, the candidate map names of one map type and the map they yield — the
 * merged action or section map, or the status map (the first found, else the unregistered one).
 */
import { mergeActionMaps } from './action-map.ts';
import { candidateMaps, type CandidateMap } from '../kam/candidate-maps.ts';
import type { ConfigMapSource } from '../kam/config-map-source.ts';
import type { JsonObject } from '../../../pkg/json/json-value.ts';
import type { KindActionMapping, MapType } from '../kam/kind-action-mapping.ts';
import { locateConfigMaps } from '../kam/located-maps.ts';
import type { MappingSubject } from '../kam/mapping-subject.ts';
import { mergeConfigMaps } from '../kam/merge-config-maps.ts';
import { SECTION_LAYOUT } from '../kam/section-map.ts';
import { locateStatusMap } from '../kam/status-map-locator.ts';

/**
 * A status map as kAppNav's preview shows it (`StatusMappingConfigMapBuilder`): `exists` and `jsonpath`
 * parsed from their JSON text (dropped when it is not JSON), `algorithm` as written, nothing else. The
 * UI reads `map.exists` as an object.
 */
function statusMapShape(data: Readonly<Record<string, unknown>>): JsonObject {
  const shape: JsonObject = {};
  for (const key of ['exists', 'jsonpath'] as const) {
    const text = data[key];
    if (typeof text !== 'string') continue;
    try {
      shape[key] = JSON.parse(text) as JsonObject;
    } catch {
      // kAppNav leaves out a value that is not JSON; the status evaluation reports it where it is used.
    }
  }
  if (typeof data.algorithm === 'string') shape.algorithm = data.algorithm;
  return shape;
}

export interface MapPreview {
  candidates: CandidateMap[];
  /** The map; null when no candidate exists (the seed's `"map": null`). */
  map: JsonObject | null;
}

export function previewMaps(
  subject: MappingSubject,
  type: MapType,
  kams: readonly KindActionMapping[],
  source: ConfigMapSource,
): MapPreview {
  if (type === 'status-mapping') {
    const { found, candidates } = locateStatusMap(subject, kams, source);
    return { candidates, map: found ? statusMapShape(found.configMap.data ?? {}) : null };
  }
  const candidates = candidateMaps(subject, kams, type);
  const located = locateConfigMaps(candidates, source);
  if (located.length === 0) return { candidates, map: null };
  const map =
    type === 'actions' ? mergeActionMaps(located).map : mergeConfigMaps(located, SECTION_LAYOUT).data;
  return { candidates, map: map as JsonObject };
}
