/**
 * One label requirement and how a set of them selects objects, with Kubernetes semantics: requirements
 * are ANDed, values compare case-sensitively, and `NotIn`/`!=` hold when the label is absent.
 *
 * kAppNav's Go controller differs (NotIn false on an absent label, case-insensitive values,
 * kappnav-prism.md §2.3); we follow Kubernetes and kAppNav's Java API, which lists components through the
 * API server's own selector evaluation, so the two paths always agree.
 */

import { parseInt64 } from '../validation/go-strconv.ts';

/**
 * `Equals`/`NotEquals` are the single-value forms (`a=b`, `a!=b`, and `matchLabels`); they select exactly
 * as `In`/`NotIn` with one value and exist so that a selector prints back the way it was written.
 */
export type Operator =
  'Equals' | 'NotEquals' | 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'GreaterThan' | 'LessThan';

export interface Requirement {
  key: string;
  operator: Operator;
  /**
   * One value for Equals/NotEquals, at least one for In/NotIn, none for Exists/DoesNotExist, one integer
   * for GreaterThan/LessThan (selector strings only: `n>3`; a LabelSelector object has no such operator).
   */
  values: readonly string[];
}

/**
 * What a selector without requirements selects. Kubernetes: everything (`kubectl get pods -l ''`).
 * kAppNav: nothing, so that an Application with an empty selector has no components (§2.3).
 */
export type EmptySelector = 'selects-everything' | 'selects-nothing';

export type Labels = Readonly<Record<string, string>> | undefined;

/** A label value read as Go's strconv.ParseInt(value, 10, 64) reads it; undefined when it is not one. */
export function int64(value: string | undefined): bigint | undefined {
  if (value === undefined) return undefined;
  const parsed = parseInt64(value);
  return parsed.ok ? parsed.value : undefined;
}

/** `n>3`, `n<3`: the label holds an integer above (below) the requirement's; false for anything else. */
function compares(requirement: Requirement, labels: Labels): boolean {
  const actual = int64(
    labels !== undefined && Object.hasOwn(labels, requirement.key) ? labels[requirement.key] : undefined,
  );
  const bound = requirement.values.length === 1 ? int64(requirement.values[0]) : undefined;
  if (actual === undefined || bound === undefined) return false;
  return requirement.operator === 'GreaterThan' ? actual > bound : actual < bound;
}

export function matchesRequirement(requirement: Requirement, labels: Labels): boolean {
  const has = labels !== undefined && Object.hasOwn(labels, requirement.key);
  switch (requirement.operator) {
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Equals':
    case 'In':
      return has && requirement.values.includes(labels[requirement.key]!);
    case 'NotEquals':
    case 'NotIn':
      return !has || !requirement.values.includes(labels[requirement.key]!);
    case 'GreaterThan':
    case 'LessThan':
      return compares(requirement, labels);
  }
}

/** Whether `labels` satisfy every requirement; the caller says what an empty selector means. */
export function selects(requirements: readonly Requirement[], labels: Labels, empty: EmptySelector): boolean {
  if (requirements.length === 0) return empty === 'selects-everything';
  return requirements.every((requirement) => matchesRequirement(requirement, labels));
}
