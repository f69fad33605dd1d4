/**
 * Evaluating compiled policies against one object: which policies match, what their validate rules find,
 * what their mutate rules change, and what that means for the request given each policy's action.
 *
 * Every policy runs within its own time budget, and a failure of one policy (an error, its budget spent)
 * is that policy's error: it never stops the others, and never the server. What an error does to the
 * request is the policy's failurePolicy: Fail denies (for Enforce), Ignore lets it through with a warning.
 *
 * Ratcheting, as Kubernetes does for CRD validation and the Vimana rules do: on UPDATE, what an Enforce
 * policy finds in the stored object too is only a warning, so objects that predate a policy can still be
 * labelled, have finalizers removed and be fixed one field at a time; what an update newly breaks is
 * denied.
 */
import { performance } from 'node:perf_hooks';
import { evaluationContext } from './assertion.ts';
import { Budget, BudgetExceeded } from './budget.ts';
import { isRecord } from '../../../pkg/json/json-value.ts';
import type { MatchInput, Operation } from './match.ts';
import { mutationResultProblems } from './object-validity.ts';
import type { CompiledPolicy } from './policy.ts';
import { redactionFor, type Redaction } from './sensitive-values.ts';
import { ruleApplies } from './validate-rule.ts';

export interface ObjectUnderReview extends Omit<MatchInput, 'labels'> {
  /** The object judged: the new object, or for DELETE the deleted one. */
  object: unknown;
  /** The stored object on UPDATE. */
  oldObject?: unknown;
}

export interface RuleViolation {
  rule: string;
  message: string;
  /** Found in the stored object too (UPDATE only): ratcheted to a warning for Enforce policies. */
  inherited: boolean;
}

export type PolicyResultKind = 'pass' | 'fail' | 'warn' | 'error';

export interface ValidationResult {
  policy: CompiledPolicy;
  violations: RuleViolation[];
  error?: string;
  seconds: number;
}

export interface MutationResult {
  policy: CompiledPolicy;
  changes: string[];
  error?: string;
  seconds: number;
}

function labelsOf(object: unknown): Record<string, string> | undefined {
  const labels = isRecord(object) && isRecord(object['metadata']) ? object['metadata']['labels'] : undefined;
  return isRecord(labels) ? (labels as Record<string, string>) : undefined;
}

/** Orders policies by name, so that messages come out in a stable order. */
export function byName(a: CompiledPolicy, b: CompiledPolicy): number {
  return a.displayName < b.displayName ? -1 : a.displayName > b.displayName ? 1 : 0;
}

/** The policies that apply to this object and operation, in the order given (see byName). */
export function matchingPolicies(
  policies: readonly CompiledPolicy[],
  review: ObjectUnderReview,
): CompiledPolicy[] {
  const input: MatchInput = { ...review, labels: labelsOf(review.object) };
  return policies.filter((p) => p.match.matches(input));
}

function errorText(policy: CompiledPolicy, error: unknown): string {
  const reason = error instanceof BudgetExceeded ? error.message : `failed: ${(error as Error).message}`;
  return `policy ${policy.displayName} ${reason}`;
}

function findViolations(
  policy: CompiledPolicy,
  kind: string,
  object: unknown,
  budget: Budget,
  redaction: Redaction,
): { rule: string; message: string }[] {
  const context = evaluationContext(object, budget);
  // A loop rather than filter/flatMap: this runs for every policy of every review.
  const violations: { rule: string; message: string }[] = [];
  for (const rule of policy.validate) {
    if (!ruleApplies(rule, kind, context)) continue;
    for (const message of rule.evaluate(policy.displayName, context, redaction))
      violations.push({ rule: rule.name, message });
  }
  return violations;
}

/** What findings about the reviewed object may show of its values (and of the stored one's). */
function redactionOf(review: ObjectUnderReview): Redaction {
  return redactionFor(review.group, review.kind, review.object, review.oldObject);
}

/** Runs a policy's validate rules on the object (and, for ratcheting, on the stored one). */
export function validateWith(policy: CompiledPolicy, review: ObjectUnderReview): ValidationResult {
  const started = performance.now();
  const budget = new Budget(policy.timeoutMs, started);
  const redaction = redactionOf(review);
  try {
    const found = findViolations(policy, review.kind, review.object, budget, redaction);
    const ratchet =
      review.operation === 'UPDATE' &&
      review.oldObject !== undefined &&
      review.oldObject !== null &&
      found.length > 0;
    const before = ratchet
      ? new Set(
          findViolations(policy, review.kind, review.oldObject, budget, redaction).map((v) => v.message),
        )
      : new Set<string>();
    const violations = found.map((v) => ({ ...v, inherited: before.has(v.message) }));
    return { policy, violations, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    return {
      policy,
      violations: [],
      error: redaction.scrub(errorText(policy, error)),
      seconds: (performance.now() - started) / 1000,
    };
  }
}

/**
 * Runs a policy's mutate rules on `object` in place. The policy's changes are all kept or, when they fail
 * or leave an invalid object, all dropped.
 */
export function mutateWith(
  policy: CompiledPolicy,
  review: ObjectUnderReview,
  object: Record<string, unknown>,
  apply: boolean,
): MutationResult {
  const started = performance.now();
  const budget = new Budget(policy.timeoutMs, started);
  const work = structuredClone(object);
  const redaction = redactionFor(review.group, review.kind, object, review.oldObject);
  // What a mutation reports may repeat the values it copies (`set … valueFrom`) or refuses.
  const result = (changes: string[], error?: string): MutationResult => ({
    policy,
    changes: changes.map(redaction.scrub),
    error: error === undefined ? undefined : redaction.scrub(error),
    seconds: (performance.now() - started) / 1000,
  });
  try {
    const changes: string[] = [];
    for (const rule of policy.mutate) {
      if (ruleApplies(rule, review.kind, evaluationContext(work, budget)))
        changes.push(...rule.apply(work, evaluationContext(work, budget)));
    }
    const problems = mutationResultProblems(object, work);
    if (problems.length > 0)
      return result(
        [],
        `policy ${policy.displayName} would produce an invalid object: ${problems.join('; ')}`,
      );
    if (apply) {
      for (const key of Object.keys(object)) delete object[key];
      Object.assign(object, work);
    }
    return result(changes);
  } catch (error) {
    return result([], errorText(policy, error));
  }
}

/** How a validation result counts: fail for Enforce and Audit violations, warn for Warn, error. */
export function resultKind(result: {
  policy: CompiledPolicy;
  violations: readonly unknown[];
  error?: string;
}): PolicyResultKind {
  if (result.error) return 'error';
  if (result.violations.length === 0) return 'pass';
  return result.policy.action === 'Warn' ? 'warn' : 'fail';
}

export interface AdmissionVerdict {
  denials: string[];
  warnings: string[];
}

/** What the validation results mean for the request. */
export function validationVerdict(results: readonly ValidationResult[]): AdmissionVerdict {
  const verdict: AdmissionVerdict = { denials: [], warnings: [] };
  for (const result of results) {
    const { action, failurePolicy } = result.policy;
    if (result.error) {
      if (action === 'Enforce' && failurePolicy === 'Fail')
        verdict.denials.push(`${result.error} (failing closed)`);
      else if (action !== 'Audit') verdict.warnings.push(result.error);
      continue;
    }
    for (const violation of result.violations) {
      if (action === 'Enforce' && !violation.inherited) verdict.denials.push(violation.message);
      else if (action !== 'Audit') verdict.warnings.push(violation.message);
    }
  }
  return verdict;
}

/** Whether validationVerdict takes a denial from this result (metrics count denials per policy). */
export function deniesRequest(result: ValidationResult): boolean {
  const { action, failurePolicy } = result.policy;
  if (action !== 'Enforce') return false;
  return result.error ? failurePolicy === 'Fail' : result.violations.some((v) => !v.inherited);
}

/** The operations a background audit treats an existing object as: it is judged as if created. */
export const AUDIT_OPERATION: Operation = 'CREATE';
