/**
 * Merging the effective hierarchy of action or section maps (kappnav-prism.md §3.5,
 * `ConfigMapProcessor.mergeConfigMaps`).
 *
 * Maps are walked most specific first. In list groups (`url-actions`, `sections`, …) the first element with
 * a given `name` wins and elements without a string name are dropped; in dictionary groups (`inputs`,
 * `snippets`, `variables`) the first key wins. A map annotated `kappnav.actions.on.conflict: replace` is the
 * last one merged. This yields the same effective set as the design's general→specific override walk.
 */
import { readConfigValue, type JsonValue } from '../../../pkg/json/lenient-json.ts';
import type { LocatedConfigMap } from './config-map-source.ts';
import { isJsonObject, type JsonObject } from '../../../pkg/json/json-value.ts';

export interface MergeLayout {
  /** Data keys holding arrays of named elements. */
  lists: readonly string[];
  /** Data keys holding objects merged key by key. */
  dictionaries: readonly string[];
}

/** Where a merged element came from, kept for translation (§6.2 reads NLS maps beside the source map). */
export interface MapOrigin {
  name: string;
  namespace: string;
  /** `data.nls-configmap` of the source map: the base name of its NLS maps. */
  nlsConfigMap: string | undefined;
  /** False only when the source map says `nls-validation: disabled`. */
  nlsValidation: boolean;
}

export interface MergedConfigMaps {
  /** Only non-empty groups, in layout order; `{}` when nothing was merged. */
  data: JsonObject;
  /** group → element name (or dictionary key) → the map it came from. */
  origins: ReadonlyMap<string, ReadonlyMap<string, MapOrigin>>;
  /** Data values that could not be read; the rest of the map is still merged. */
  problems: string[];
  /** The maps merged, most specific first: the located ones up to and including a `replace` map. */
  merged: LocatedConfigMap[];
}

export const CONFLICT_ANNOTATION = 'kappnav.actions.on.conflict';

function originOf(located: LocatedConfigMap): MapOrigin {
  const data = located.configMap.data ?? {};
  const nlsConfigMap = data['nls-configmap'];
  return {
    name: located.name,
    namespace: located.namespace,
    nlsConfigMap: typeof nlsConfigMap === 'string' && nlsConfigMap.trim() ? nlsConfigMap.trim() : undefined,
    nlsValidation: data['nls-validation'] !== 'disabled',
  };
}

export function mergeConfigMaps(maps: readonly LocatedConfigMap[], layout: MergeLayout): MergedConfigMaps {
  const lists = new Map<string, JsonObject[]>();
  const dictionaries = new Map<string, JsonObject>();
  const origins = new Map<string, Map<string, MapOrigin>>();
  const problems: string[] = [];
  const merged: LocatedConfigMap[] = [];

  const groupOrigins = (group: string): Map<string, MapOrigin> => {
    let map = origins.get(group);
    if (!map) origins.set(group, (map = new Map()));
    return map;
  };

  const read = (located: LocatedConfigMap, key: string): JsonValue | undefined => {
    const raw = located.configMap.data?.[key];
    if (raw === undefined) return undefined;
    try {
      return readConfigValue(raw);
    } catch (error) {
      problems.push(`${located.namespace}/${located.name} data.${key}: ${(error as Error).message}`);
      return undefined;
    }
  };

  for (const located of maps) {
    const origin = originOf(located);
    merged.push(located);
    for (const group of layout.lists) {
      const value = read(located, group);
      if (value === undefined) continue;
      if (!Array.isArray(value)) {
        problems.push(`${located.namespace}/${located.name} data.${group}: not an array`);
        continue;
      }
      const seen = groupOrigins(group);
      const elements = lists.get(group) ?? [];
      for (const element of value) {
        const name = isJsonObject(element) ? element['name'] : undefined;
        if (typeof name !== 'string' || seen.has(name)) continue;
        seen.set(name, origin);
        elements.push(element as JsonObject);
      }
      lists.set(group, elements);
    }
    for (const group of layout.dictionaries) {
      const value = read(located, group);
      if (value === undefined) continue;
      if (!isJsonObject(value)) {
        problems.push(`${located.namespace}/${located.name} data.${group}: not an object`);
        continue;
      }
      const seen = groupOrigins(group);
      const entries = dictionaries.get(group) ?? {};
      for (const [key, entry] of Object.entries(value)) {
        if (seen.has(key)) continue;
        seen.set(key, origin);
        // defineProperty, not assignment: a "__proto__" key is data here too.
        Object.defineProperty(entries, key, {
          value: entry,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      dictionaries.set(group, entries);
    }
    if (located.configMap.metadata?.annotations?.[CONFLICT_ANNOTATION] === 'replace') break;
  }

  const data: JsonObject = {};
  for (const group of layout.lists) {
    const elements = lists.get(group);
    if (elements?.length) data[group] = elements;
  }
  for (const group of layout.dictionaries) {
    const entries = dictionaries.get(group);
    if (entries && Object.keys(entries).length > 0) data[group] = entries;
  }
  return { data, origins, problems, merged };
}
