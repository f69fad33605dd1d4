/**
 * `prismgate test`, without a cluster: policies and resources from files, each resource judged by every
 * policy as the webhooks would judge its creation (mutations of Enforce policies first, then validation),
 * and, when expectations are given, each result compared with what was expected.
 *
 * A result is per (resource, policy): pass, fail (an Enforce or Audit policy finds a violation), warn (a
 * Warn policy does), error (the policy failed), or skip (it does not apply). With expectations, every
 * result other than pass and skip must be expected, and every expectation must be met.
 */
import { parseApiVersion } from '../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import {
  byName,
  matchingPolicies,
  mutateWith,
  resultKind,
  validateWith,
  type ObjectUnderReview,
  type PolicyResultKind,
} from '../engine/evaluate.ts';
import { isRecord } from '../../../pkg/json/json-value.ts';
import type { ManifestObject } from '../../../pkg/manifests/manifest-files.ts';
import { isNamespaceKind, type Operation } from '../engine/match.ts';
import {
  CLUSTER_POLICY_KIND,
  compilePolicy,
  NAMESPACED_POLICY_KIND,
  type CompiledPolicy,
} from '../engine/policy.ts';

export type OfflineResultKind = PolicyResultKind | 'skip';

export interface Expectation {
  resource: string;
  policy: string;
  result: OfflineResultKind;
  /** When given, the exact messages, in any order. */
  messages?: string[];
}

export interface OfflineResult {
  resource: string;
  policy: string;
  result: OfflineResultKind;
  messages: string[];
  /** What was expected, when expectations were given. */
  expected?: OfflineResultKind;
  /** False when the result breaks an expectation (or, without expectations, fails). */
  ok: boolean;
}

export interface OfflineReport {
  /** Policies that do not compile, with their problems: the run fails. */
  invalidPolicies: string[];
  results: OfflineResult[];
  /** Expectations no result met (e.g. naming a resource that is not there). */
  unmet: Expectation[];
  ok: boolean;
}

export function resourceName(object: KubeObject): string {
  const { namespace, name } = object.metadata ?? {};
  return [object.kind ?? '?', ...(namespace ? [namespace] : []), name ?? '?'].join('/');
}

function namespaceLabelsFrom(resources: readonly ManifestObject[]) {
  const namespaces = new Map(
    resources
      .filter(({ object }) => object.kind === 'Namespace' && object.apiVersion === 'v1')
      .map(({ object }) => [object.metadata?.name ?? '', object.metadata?.labels ?? {}]),
  );
  return (namespace: string | undefined) => () =>
    namespace ? (namespaces.get(namespace) ?? { 'kubernetes.io/metadata.name': namespace }) : undefined;
}

function sameMessages(actual: readonly string[], expected: readonly string[]): boolean {
  return JSON.stringify([...actual].sort()) === JSON.stringify([...expected].sort());
}

export function runOfflineTest(input: {
  policies: readonly ManifestObject[];
  resources: readonly ManifestObject[];
  operation?: Operation;
  expectations?: readonly Expectation[];
}): OfflineReport {
  const invalidPolicies: string[] = [];
  const policies: CompiledPolicy[] = [];
  for (const { object, file } of input.policies) {
    if (object.kind !== CLUSTER_POLICY_KIND && object.kind !== NAMESPACED_POLICY_KIND) continue;
    const compiled = compilePolicy({ ...object, metadata: { generation: 1, ...object.metadata } });
    if (compiled.ok) policies.push(compiled.policy);
    else
      invalidPolicies.push(
        ...compiled.problems.map((p) => `${file}: ${object.kind}/${object.metadata?.name}: ${p}`),
      );
  }
  policies.sort(byName);
  const labelsOf = namespaceLabelsFrom(input.resources);
  const expectations = new Map((input.expectations ?? []).map((e) => [`${e.resource}|${e.policy}`, e]));
  const met = new Set<string>();
  const results: OfflineResult[] = [];
  for (const { object: original } of input.resources) {
    if (!isRecord(original) || !original.kind) continue;
    const object = structuredClone(original);
    const group = parseApiVersion(object.apiVersion ?? '').group;
    const review: ObjectUnderReview = {
      group,
      kind: object.kind ?? '',
      operation: input.operation ?? 'CREATE',
      namespace: object.metadata?.namespace,
      // Offline there is no discovery: a manifest without a namespace is taken as cluster-scoped (no
      // namespaced policy could match it anyway), a Namespace always is.
      clusterScoped: !object.metadata?.namespace || isNamespaceKind(group, object.kind ?? ''),
      name: object.metadata?.name,
      object,
      namespaceLabels: labelsOf(object.metadata?.namespace),
    };
    const matching = new Set(matchingPolicies(policies, review));
    const changes = new Map<CompiledPolicy, string[]>();
    for (const policy of matching) {
      if (policy.mutate.length === 0) continue;
      const mutation = mutateWith(policy, review, object, policy.action === 'Enforce');
      changes.set(policy, mutation.error ? [mutation.error] : mutation.changes);
    }
    const resource = resourceName(original);
    for (const policy of policies) {
      const key = `${resource}|${policy.displayName}`;
      const validation = matching.has(policy) ? validateWith(policy, { ...review, object }) : undefined;
      const result: OfflineResultKind = validation ? resultKind(validation) : 'skip';
      const messages = [
        ...(validation?.violations.map((v) => v.message) ?? []),
        ...(validation?.error ? [validation.error] : []),
        ...(changes.get(policy) ?? []),
      ];
      const expected = expectations.get(key);
      if (expected) met.add(key);
      const ok = input.expectations
        ? expected
          ? expected.result === result && (!expected.messages || sameMessages(messages, expected.messages))
          : result === 'pass' || result === 'skip'
        : result !== 'fail' && result !== 'error';
      results.push({
        resource,
        policy: policy.displayName,
        result,
        messages,
        ...(input.expectations
          ? { expected: expected?.result ?? (result === 'skip' ? 'skip' : 'pass') }
          : {}),
        ok,
      });
    }
  }
  const unmet = (input.expectations ?? []).filter((e) => !met.has(`${e.resource}|${e.policy}`));
  return {
    invalidPolicies,
    results,
    unmet,
    ok: invalidPolicies.length === 0 && unmet.length === 0 && results.every((r) => r.ok),
  };
}
