/**
 * The KindActionMapping custom resource (actions.kappnav.io/v1, kappnav-prism.md §3.3), as read from the
 * cluster. Every field is optional and untrusted: the CRD schema admits partial rules, and objects written
 * before the schema existed may hold anything.
 */
import type { KubeObject } from '../../../pkg/kube/types.ts';

export interface MappingRuleOwner {
  kind?: unknown;
  apiVersion?: unknown;
  uid?: unknown;
}

export interface MappingRule {
  apiVersion?: unknown;
  kind?: unknown;
  subkind?: unknown;
  name?: unknown;
  mapname?: unknown;
  owner?: MappingRuleOwner;
}

export interface KindActionMapping extends KubeObject {
  spec?: {
    precedence?: unknown;
    mappings?: unknown;
    statusMappings?: unknown;
    sectionMappings?: unknown;
  };
}

/** The three kinds of map a KindActionMapping selects, named as the preview API's `type` parameter names them. */
export const MAP_TYPES = ['actions', 'status-mapping', 'sections'] as const;
export type MapType = (typeof MAP_TYPES)[number];

export function isMapType(value: unknown): value is MapType {
  return MAP_TYPES.includes(value as MapType);
}

/** The spec array that holds the rules of each map type (`sectionMappings`, not the design's `detailsMappings`). */
export const RULES_FIELD = {
  actions: 'mappings',
  'status-mapping': 'statusMappings',
  sections: 'sectionMappings',
} as const satisfies Record<MapType, keyof NonNullable<KindActionMapping['spec']>>;

/** A rule field's value when it is a non-empty string; anything else counts as absent. */
export function ruleText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
