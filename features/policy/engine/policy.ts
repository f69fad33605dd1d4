/**
 * A policy resource, compiled: everything that can be wrong with it is found here, when it is applied
 * (by the policy-check webhook, the offline CLI and the policy cache alike), and the result is reused for
 * every evaluation until the policy's generation changes.
 *
 *   apiVersion: policies.prismgate.kappnav.io/v1alpha1
 *   kind: ClusterAdmissionPolicy            # or AdmissionPolicy, which applies in its namespace only
 *   spec:
 *     action: Enforce | Warn | Audit         # default Audit: a new policy reports before it blocks
 *     failurePolicy: Fail | Ignore           # when the policy itself fails (error, budget): default Fail
 *     background: true                       # include in the background audit
 *     timeoutMilliseconds: 200               # the policy's time budget per evaluation (a guard against
 *                                            # runaway policies, not jitter: evaluations take microseconds)
 *     match: …  exclude: …                   # match.ts
 *     validate: [ … ]                        # validate-rule.ts
 *     mutate: [ … ]                          # mutate-rule.ts
 */
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { Budget } from './budget.ts';
import { evaluationContext } from './assertion.ts';
import { isRecord } from '../../../pkg/json/json-value.ts';
import { compileMatch, type CompiledMatch, type GroupKind } from './match.ts';
import { compileMutateRule, type MutateRule } from './mutate-rule.ts';
import { mutationResultProblems } from './object-validity.ts';
import { Problems, Section } from './problems.ts';
import { redactionFor } from './sensitive-values.ts';
import { compileValidateRule, ruleApplies, type ValidateRule } from './validate-rule.ts';

export const POLICY_GROUP = 'policies.prismgate.kappnav.io';
export const POLICY_VERSION = 'v1alpha1';
export const POLICY_API_VERSION = `${POLICY_GROUP}/${POLICY_VERSION}`;
export const CLUSTER_POLICY_KIND = 'ClusterAdmissionPolicy';
export const NAMESPACED_POLICY_KIND = 'AdmissionPolicy';
export type PolicyKind = typeof CLUSTER_POLICY_KIND | typeof NAMESPACED_POLICY_KIND;

export type Action = 'Enforce' | 'Warn' | 'Audit';
export const ACTIONS: readonly Action[] = ['Enforce', 'Warn', 'Audit'];
export type FailurePolicy = 'Fail' | 'Ignore';

export const DEFAULT_TIMEOUT_MS = 200;
const MAX_TIMEOUT_MS = 2000;

export interface CompiledPolicy {
  readonly kind: PolicyKind;
  readonly name: string;
  /** Set for an AdmissionPolicy: it applies in this namespace only. */
  readonly namespace?: string;
  /** `name`, or `namespace/name` for an AdmissionPolicy: how messages, metrics and reports name it. */
  readonly displayName: string;
  readonly uid: string;
  readonly generation: number;
  readonly action: Action;
  readonly failurePolicy: FailurePolicy;
  readonly background: boolean;
  readonly timeoutMs: number;
  readonly match: CompiledMatch;
  readonly validate: readonly ValidateRule[];
  readonly mutate: readonly MutateRule[];
  readonly resource: KubeObject;
}

export type CompiledPolicyResult =
  { ok: true; policy: CompiledPolicy } | { ok: false; problems: readonly string[] };

const SPEC_KEYS = new Set([
  'action',
  'failurePolicy',
  'background',
  'timeoutMilliseconds',
  'description',
  'match',
  'exclude',
  'validate',
  'mutate',
]);

/** The policy's display name for an object of this kind and place. */
export function policyDisplayName(
  kind: string | undefined,
  namespace: string | undefined,
  name: string,
): string {
  return kind === NAMESPACED_POLICY_KIND && namespace ? `${namespace}/${name}` : name;
}

function sampleObject(kind: GroupKind, namespace: string): Record<string, unknown> {
  return {
    apiVersion: kind.group ? `${kind.group}/v1` : 'v1',
    kind: kind.kind,
    metadata: { name: 'sample', namespace, labels: {}, annotations: {} },
  };
}

/**
 * A mutation that would produce an invalid object, or one the policy itself denies, is refused now rather
 * than discovered on the first request. Checked on a minimal object of each kind the policy names; a JSON
 * Patch that needs fields the sample lacks is skipped (it is checked again at admission).
 */
function checkMutations(policy: CompiledPolicy, problems: Problems, written: unknown): void {
  if (policy.mutate.length === 0) return;
  for (const kind of policy.match.kinds) {
    const before = sampleObject(kind, policy.namespace ?? 'default');
    const after = structuredClone(before);
    const context = (object: unknown) => evaluationContext(object, new Budget(MAX_TIMEOUT_MS));
    for (const rule of policy.mutate) {
      if (!ruleApplies(rule, kind.kind, context(after))) continue;
      try {
        rule.apply(after, context(after));
      } catch {
        // Needs fields the sample does not have.
      }
    }
    for (const problem of mutationResultProblems(before, after))
      problems.add('spec.mutate', written, `would produce an invalid ${kind.kind}: ${problem}`);
    const messages = (object: unknown) =>
      new Set(
        policy.validate
          .filter((r) => ruleApplies(r, kind.kind, context(object)))
          .flatMap((r) =>
            r.evaluate(policy.displayName, context(object), redactionFor(kind.group, kind.kind, object)),
          ),
      );
    const already = messages(before);
    const introduced = [...messages(after)].filter((m) => !already.has(m));
    if (introduced.length > 0)
      problems.add(
        'spec.mutate',
        written,
        `would produce a ${kind.kind} that this policy's own validate rules deny: ${introduced[0]}`,
      );
  }
}

/** Compiles a ClusterAdmissionPolicy or AdmissionPolicy resource. */
export function compilePolicy(resource: KubeObject): CompiledPolicyResult {
  const problems = new Problems();
  const kind = resource.kind;
  if (kind !== CLUSTER_POLICY_KIND && kind !== NAMESPACED_POLICY_KIND)
    problems.add('kind', kind, `must be ${CLUSTER_POLICY_KIND} or ${NAMESPACED_POLICY_KIND}`);
  if (resource.apiVersion !== POLICY_API_VERSION)
    problems.add('apiVersion', resource.apiVersion, `must be ${POLICY_API_VERSION}`);
  const name = resource.metadata?.name ?? '';
  if (!name) problems.add('metadata.name', resource.metadata?.name, 'is required');
  const namespace = kind === NAMESPACED_POLICY_KIND ? (resource.metadata?.namespace ?? 'default') : undefined;
  const spec = Section.of(resource['spec'], 'spec', problems);
  if (!spec) {
    if (!isRecord(resource['spec'])) problems.add('spec', resource['spec'], 'is required');
    return { ok: false, problems: problems.list };
  }
  for (const key of Object.keys(spec.value))
    if (!SPEC_KEYS.has(key))
      problems.add(
        spec.at(key),
        spec.value[key],
        `is not a field of a policy spec (${[...SPEC_KEYS].join(', ')})`,
      );
  const action = spec.oneOf('action', ACTIONS, 'Audit');
  const failurePolicy = spec.oneOf<FailurePolicy>('failurePolicy', ['Fail', 'Ignore'], 'Fail');
  const background = spec.boolean('background', true);
  const timeoutMs = spec.integer('timeoutMilliseconds', DEFAULT_TIMEOUT_MS, 1, MAX_TIMEOUT_MS);
  spec.string('description');
  const match = compileMatch(spec.section('match'), spec.section('exclude'), namespace, problems, 'spec');
  const validate = spec.list('validate').map(({ value, path }) => compileValidateRule(value, path, problems));
  const mutate = spec.list('mutate').map(({ value, path }) => compileMutateRule(value, path, problems));
  if (validate.length + mutate.length === 0)
    problems.add('spec', spec.value, 'must have validate or mutate rules');
  const names = [...validate, ...mutate].flatMap((rule) => (rule ? [rule.name] : []));
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated)
    problems.add('spec', repeated, 'names two rules alike; rule names must be unique in a policy');
  for (const rule of [...validate, ...mutate]) {
    const foreign = rule?.kinds && [...rule.kinds].find((k) => !match.kinds.some((m) => m.kind === k));
    if (foreign) problems.add(`spec rule ${rule.name}`, foreign, 'is a kind the policy does not match');
  }
  if (!problems.empty) return { ok: false, problems: problems.list };
  const policy: CompiledPolicy = {
    kind: kind as PolicyKind,
    name,
    namespace,
    displayName: policyDisplayName(kind, namespace, name),
    uid: resource.metadata?.uid ?? '',
    generation: resource.metadata?.generation ?? 0,
    action,
    failurePolicy,
    background,
    timeoutMs,
    match,
    validate: validate as ValidateRule[],
    mutate: mutate as MutateRule[],
    resource,
  };
  checkMutations(policy, problems, spec.raw('mutate'));
  return problems.empty ? { ok: true, policy } : { ok: false, problems: problems.list };
}
