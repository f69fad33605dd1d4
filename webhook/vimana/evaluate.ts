/**
 * The admission entry point: which rules apply to a request, what they find, and which findings deny.
 */
import { VIMANA_RULES } from './catalogue.ts';
import { ForwardingClusterView, type VimanaClusterView } from './cluster-view.ts';
import { readString } from './fields.ts';
import type { RuleContext, VimanaRule } from './rules/rule.ts';
import { vimanaKindOf, type VimanaAdmissionRequest } from './request.ts';
import type { Operation } from './types.ts';
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
  const applicable = rules.filter((rule) => rule.kinds.includes(kind) && rule.operations.includes(operation));
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
  const denies = (violation: Violation) =>
    violation.severity === 'deny' && !inherited.has(formatViolation(violation));
  const denials = violations.filter(denies);
  return {
    denials,
    warnings: violations.filter((violation) => !denies(violation)),
    clusterDependent: denials.some((violation) => consulted.has(violation.name)),
  };
}

/** Runs the rules; with `consulted`, collects the names of the rules that read the cluster view. */
function run(rules: readonly VimanaRule[], context: RuleContext, consulted?: Set<string>): Violation[] {
  const view = consulted ? new ForwardingClusterView(context.view) : undefined;
  return rules.flatMap((rule) => {
    if (view) view.consulted = false;
    const findings = rule.check(view ? { ...context, view } : context);
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
