/**
 * The merged action map of a resource (kappnav-prism.md §3.1, §3.4, §3.5): the action config maps its
 * KindActionMapping candidates name, merged most specific first, with the origin of every element kept
 * for NLS (§6.2).
 */
import { candidateMaps, type CandidateMap } from '../kam/candidate-maps.ts';
import type { ConfigMapSource, LocatedConfigMap } from '../kam/config-map-source.ts';
import type { JsonObject } from '../../../pkg/json/json-value.ts';
import type { KindActionMapping } from '../kam/kind-action-mapping.ts';
import { locateConfigMaps } from '../kam/located-maps.ts';
import type { MappingSubject } from '../kam/mapping-subject.ts';
import { mergeConfigMaps, type MapOrigin, type MergeLayout } from '../kam/merge-config-maps.ts';

export const ACTION_GROUPS = ['url-actions', 'cmd-actions', 'function-actions'] as const;
export type ActionGroup = (typeof ACTION_GROUPS)[number];

export const ACTION_DICTIONARIES = ['inputs', 'snippets', 'variables'] as const;
export type ActionDictionary = (typeof ACTION_DICTIONARIES)[number];

/** One action: an object with a string `name` and the fields of §3.1. */
export type Action = JsonObject & { name: string };

/** The merged map as the API returns it: only non-empty groups are present, `{}` when there are none. */
export type ActionMap = { [G in ActionGroup]?: Action[] } & { [D in ActionDictionary]?: JsonObject };

const ACTION_LAYOUT: MergeLayout = { lists: ACTION_GROUPS, dictionaries: ACTION_DICTIONARIES };

export interface MergedActionMap {
  map: ActionMap;
  /** group (an action group or `inputs`/`snippets`/`variables`) → name → the config map it came from. */
  origins: ReadonlyMap<string, ReadonlyMap<string, MapOrigin>>;
  /** Data values of the source maps that could not be read (worth a log line; the rest still merged). */
  problems: string[];
  /** The config maps merged, most specific first (a `replace` map is the last). */
  merged: LocatedConfigMap[];
}

export interface ResourceActionMap extends MergedActionMap {
  /** The candidate names looked up, in hierarchy order (for the KindActionMapping preview). */
  candidates: CandidateMap[];
}

/** Merges located action maps, most specific first (§3.5). */
export function mergeActionMaps(located: readonly LocatedConfigMap[]): MergedActionMap {
  const { data, origins, problems, merged } = mergeConfigMaps(located, ACTION_LAYOUT);
  // The layout guarantees the shape: list groups hold named objects, dictionaries hold objects.
  return { map: data as ActionMap, origins, problems, merged };
}

/** The merged action map of a resource: candidates (§3.4), lookup, merge (§3.5). */
export function actionMapFor(
  subject: MappingSubject,
  kams: readonly KindActionMapping[],
  source: ConfigMapSource,
): ResourceActionMap {
  const candidates = candidateMaps(subject, kams, 'actions');
  return { ...mergeActionMaps(locateConfigMaps(candidates, source)), candidates };
}

/** The action of a group with the given name. */
export function findAction(map: ActionMap, group: ActionGroup, name: string): Action | undefined {
  return map[group]?.find((action) => action.name === name);
}
