/**
 * The admission entry point: which rules apply to a request, what they find, and which findings deny.
 */
import { VIMANA_RULES } from './catalogue.ts';
import { ForwardingClusterView, type VimanaClusterView } from './cluster-view.ts';
import { readString } from './fields.ts';
import type { RuleContext, VimanaRule } from './rules/rule.ts';
import { vimanaKindOf, type VimanaAdmissionRequest } from './request.ts';
import type { VimanaKind } from './types.ts';
import type { Operation } from '../../webhook/admission-review.ts';
import { formatViolation, type Violation } from './violation.ts';

export interface Evaluation {
  denials: Violation[];
  warnings: Violation[];
  /**
   * True when a denial came from a rule that read the cluster view. Informer caches trail the API server
   * by milliseconds, so such a denial may vanish once they catch up (a parent created by the previous
   * document of the same `kubectl apply`); a denial about the object alone never does.
   */
  clusterDependent: boolean;
}

const REVIEWED: ReadonlySet<string> = new Set<Operation>(['CREATE', 'UPDATE', 'DELETE']);

/**
 * Runs every applicable rule and splits the findings by severity.
 *
 * Ratcheting, as Kubernetes does for CRD validation: on UPDATE a denial the stored object already had is
 * only a warning. Objects created before this gate (or before a rule tightened) can then still be
 * labelled, have finalizers removed or be fixed field by field, and never get stuck; what an update
 * newly breaks is still denied.
 */
export function evaluateVimana(
  request: VimanaAdmissionRequest,
  view: VimanaClusterView,
  rules: readonly VimanaRule[] = VIMANA_RULES,
): Evaluation {
  const kind = vimanaKindOf(request);
  const operation = request.operation as Operation;
  const object = operation === 'DELETE' ? request.oldObject : request.object;
  if (!kind || !REVIEWED.has(operation) || object === undefined || object === null) {
    return { denials: [], warnings: [], clusterDependent: false };
  }
  const context: RuleContext = {
    kind,
    operation,
    namespace: request.namespace || (readString(object, 'metadata.namespace') ?? ''),
    name: request.name || (readString(object, 'metadata.name') ?? ''),
    object,
    oldObject: operation === 'UPDATE' ? request.oldObject : undefined,
    view,
  };
  const applicable = applicableRules(rules, kind, operation);
  const consulted = new Set<string>();
  const violations = run(applicable, context, consulted);
  const inherited =
    operation === 'UPDATE' && context.oldObject !== undefined
      ? new Set(
          run(
            applicable.filter((rule) => rule.severity === 'deny'),
            { ...context, object: context.oldObject },
          ).map(formatViolation),
        )
      : new Set<string>();
  const denials: Violation[] = [];
  const warnings: Violation[] = [];
  for (const violation of violations) {
    const denies = violation.severity === 'deny' && !inherited.has(formatViolation(violation));
    (denies ? denials : warnings).push(violation);
  }
  return {
    denials,
    warnings,
    clusterDependent: denials.some((violation) => consulted.has(violation.name)),
  };
}

/**
 * The rules for a kind and operation, selected once per rule list: filtering the catalogue anew for every
 * review cost more than some of the rules.
 */
const applicableByList = new WeakMap<readonly VimanaRule[], Map<string, readonly VimanaRule[]>>();

function applicableRules(
  rules: readonly VimanaRule[],
  kind: VimanaKind,
  operation: Operation,
): readonly VimanaRule[] {
  let byKindAndOperation = applicableByList.get(rules);
  if (!byKindAndOperation) {
    byKindAndOperation = new Map();
    applicableByList.set(rules, byKindAndOperation);
  }
  const key = `${kind}/${operation}`;
  let applicable = byKindAndOperation.get(key);
  if (!applicable) {
    applicable = rules.filter((rule) => rule.kinds.includes(kind) && rule.operations.includes(operation));
    byKindAndOperation.set(key, applicable);
  }
  return applicable;
}

/** Runs the rules; with `consulted`, collects the names of the rules that read the cluster view. */
function run(rules: readonly VimanaRule[], context: RuleContext, consulted?: Set<string>): Violation[] {
  const view = consulted ? new ForwardingClusterView(context.view) : undefined;
  // One context for all the rules (checks are synchronous and keep nothing), not a copy per rule.
  const ruleContext = view ? { ...context, view } : context;
  return rules.flatMap((rule) => {
    if (view) view.consulted = false;
    const findings = rule.check(ruleContext);
    if (view?.consulted) consulted?.add(rule.name);
    return findings.map((finding) => ({
      ...finding,
      rule: rule.rule,
      name: rule.name,
      severity: rule.severity,
    }));
  });
}

/** The messages for an AdmissionResponse: `status.message` lines and `warnings`. */
export function formatEvaluation(evaluation: Evaluation): { denials: string[]; warnings: string[] } {
  return {
    denials: evaluation.denials.map(formatViolation),
    warnings: evaluation.warnings.map(formatViolation),
  };
}
