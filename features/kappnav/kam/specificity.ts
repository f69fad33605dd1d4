/**
 * Specificity levels of KindActionMapping matching (kappnav-prism.md §3.4 step 2 and the specificity match
 * of step 3): which of kind, subkind and name a rule or a resource sets, and when a rule of one level
 * applies to a resource of another.
 */
import { ruleText, type MappingRule } from './kind-action-mapping.ts';
import type { MappingSubject } from './mapping-subject.ts';

/** Kind+subkind+name, kind+name, kind+subkind, kind. */
export type Specificity = 'KSN' | 'KN' | 'KS' | 'K';

/** Most specific first: the outer order of candidate maps. */
export const SPECIFICITY_ORDER: readonly Specificity[] = ['KSN', 'KN', 'KS', 'K'];

const WILDCARD = '*';

/** The level of whichever of kind, subkind and name are set; undefined without a kind (never matches). */
export function specificityOf(fields: {
  kind?: string;
  subkind?: string;
  name?: string;
}): Specificity | undefined {
  if (!fields.kind) return undefined;
  if (fields.subkind) return fields.name ? 'KSN' : 'KS';
  return fields.name ? 'KN' : 'K';
}

/** Which fields a rule of each level compares, given that the resource's level admits it. */
const COMPARED: Record<Specificity, readonly ('kind' | 'subkind' | 'name')[]> = {
  KSN: ['kind', 'subkind', 'name'],
  KN: ['kind', 'name'],
  KS: ['kind', 'subkind'],
  K: ['kind'],
};

/**
 * Whether a rule level can apply to a resource level. A resource with a subkind never matches KN rules and
 * one without never matches KS/KSN rules; a KS rule applies to a KSN resource; a K rule applies to all.
 */
function levelAdmits(rule: Specificity, resource: Specificity): boolean {
  return rule === resource || rule === 'K' || (rule === 'KS' && resource === 'KSN');
}

/**
 * Subkinds compare case-insensitively: the resource's subkind is lower-cased, so an exact compare would
 * make a rule written `subkind: Liberty` (as the design's own example is) never match (QUIRK fix).
 */
function fieldMatches(
  field: 'kind' | 'subkind' | 'name',
  ruleValue: string,
  subject: MappingSubject,
): boolean {
  if (ruleValue === WILDCARD) return true;
  return field === 'subkind'
    ? ruleValue.toLowerCase() === subject.subkind.toLowerCase()
    : ruleValue === subject[field];
}

/** The rule's level when its kind/subkind/name admit the subject, else undefined. */
export function ruleSpecificityFor(rule: MappingRule, subject: MappingSubject): Specificity | undefined {
  const fields = { kind: ruleText(rule.kind), subkind: ruleText(rule.subkind), name: ruleText(rule.name) };
  const ruleLevel = specificityOf(fields);
  const subjectLevel = specificityOf(subject);
  if (!ruleLevel || !subjectLevel || !levelAdmits(ruleLevel, subjectLevel)) return undefined;
  return COMPARED[ruleLevel].every((field) => fieldMatches(field, fields[field] ?? '', subject))
    ? ruleLevel
    : undefined;
}
