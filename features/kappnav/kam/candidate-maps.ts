/**
 * Candidate config-map names for a resource from all KindActionMappings (kappnav-prism.md §3.4,
 * `KindActionMappingProcessor.getConfigMapsFromKAMs`).
 *
 * Every matching rule yields a candidate (not only the first per level). Candidates are ordered by level
 * (KSN, KN, KS, K), then precedence 9→1, then KAM list order and rule order. Instance-level maps (KSN, KN)
 * live in the resource's namespace, the others in the KindActionMapping's namespace.
 */
import { apiVersionMatches } from './api-version-match.ts';
import {
  RULES_FIELD,
  ruleText,
  type KindActionMapping,
  type MapType,
  type MappingRule,
} from './kind-action-mapping.ts';
import { substituteMapname } from './mapname.ts';
import type { MappingSubject } from './mapping-subject.ts';
import { matchOwner } from './owner-match.ts';
import { SPECIFICITY_ORDER, ruleSpecificityFor, type Specificity } from './specificity.ts';

export interface CandidateMap {
  name: string;
  namespace: string;
  specificity: Specificity;
  precedence: number;
}

const MIN_PRECEDENCE = 1;
const MAX_PRECEDENCE = 9;

/**
 * The CRD bounds precedence to 1..9 (default 1); the reference indexes an array with it and fails outside
 * that range. Objects that bypassed the schema are clamped into the range instead.
 */
function precedenceOf(kam: KindActionMapping): number {
  const value = kam.spec?.precedence;
  if (typeof value !== 'number' || !Number.isFinite(value)) return MIN_PRECEDENCE;
  return Math.min(MAX_PRECEDENCE, Math.max(MIN_PRECEDENCE, Math.trunc(value)));
}

function rulesOf(kam: KindActionMapping, type: MapType): MappingRule[] {
  const rules = kam.spec?.[RULES_FIELD[type]];
  return Array.isArray(rules)
    ? rules.filter((rule): rule is MappingRule => rule !== null && typeof rule === 'object')
    : [];
}

export function candidateMaps(
  subject: MappingSubject,
  kams: readonly KindActionMapping[],
  type: MapType,
): CandidateMap[] {
  const found: CandidateMap[] = [];
  for (const kam of kams) {
    const kamNamespace = kam.metadata?.namespace;
    if (!kamNamespace) continue; // KindActionMappings are namespaced; one without a namespace places no maps.
    const precedence = precedenceOf(kam);
    for (const rule of rulesOf(kam, type)) {
      const mapname = ruleText(rule.mapname);
      if (!mapname || !apiVersionMatches(ruleText(rule.apiVersion), subject.apiVersion)) continue;
      const owner = matchOwner(rule.owner, subject.owners);
      if (!owner.matches) continue;
      const specificity = ruleSpecificityFor(rule, subject);
      if (!specificity) continue;
      // Each candidate keeps its own matching owner; the reference keeps one per lookup, so `${owner.*}`
      // took the last matched rule's owner for every candidate (QUIRK fix).
      found.push({
        name: substituteMapname(mapname, subject, owner.owner),
        namespace: specificity === 'KSN' || specificity === 'KN' ? subject.namespace : kamNamespace,
        specificity,
        precedence,
      });
    }
  }
  // Array.prototype.sort is stable, so KAM list order and rule order survive within a precedence.
  return found.sort(
    (a, b) =>
      SPECIFICITY_ORDER.indexOf(a.specificity) - SPECIFICITY_ORDER.indexOf(b.specificity) ||
      b.precedence - a.precedence,
  );
}
