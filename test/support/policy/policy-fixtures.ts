/** Builders for policy tests: a ClusterAdmissionPolicy from a spec, compiled or its problems. */
import type { KubeObject } from '../../../pkg/kube/types.ts';
import type { ObjectUnderReview } from '../../../features/policy/engine/evaluate.ts';
import {
  compilePolicy,
  POLICY_API_VERSION,
  type CompiledPolicy,
} from '../../../features/policy/engine/policy.ts';

export const CONFIG_MAP_MATCH = { resources: [{ apiGroups: [''], kinds: ['ConfigMap'] }] };

export function policyResource(
  spec: Record<string, unknown>,
  name = 'test-policy',
  kind = 'ClusterAdmissionPolicy',
  namespace?: string,
): KubeObject {
  return {
    apiVersion: POLICY_API_VERSION,
    kind,
    metadata: { name, ...(namespace ? { namespace } : {}), uid: `uid-${name}`, generation: 1 },
    spec,
  };
}

export function compiled(spec: Record<string, unknown>, name?: string): CompiledPolicy {
  const result = compilePolicy(policyResource({ match: CONFIG_MAP_MATCH, ...spec }, name));
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.policy;
}

export function problemsOf(spec: Record<string, unknown>): readonly string[] {
  const result = compilePolicy(policyResource({ match: CONFIG_MAP_MATCH, ...spec }));
  return result.ok ? [] : result.problems;
}

export function configMap(data: Record<string, unknown>, metadata: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cm', namespace: 'team-a', ...metadata },
    data,
  };
}

export function reviewOf(object: KubeObject, extra: Partial<ObjectUnderReview> = {}): ObjectUnderReview {
  return {
    group: '',
    kind: object.kind ?? '',
    operation: 'CREATE',
    namespace: object.metadata?.namespace,
    clusterScoped: !object.metadata?.namespace,
    name: object.metadata?.name,
    object,
    namespaceLabels: () => ({ 'kubernetes.io/metadata.name': object.metadata?.namespace ?? '', env: 'prod' }),
    ...extra,
  };
}
