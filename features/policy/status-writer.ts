/**
 * Writes what prismgate knows about a policy into its status: whether it compiled (a Ready condition with
 * the problems when it did not), the kinds it could not be registered for, and the audit summary that
 * `kubectl get clusteradmissionpolicies` shows as columns. Only a changed status is written, through the
 * status subresource (which does not bump the generation, so it does not recompile the policy).
 */
import type { Logger } from 'pino';
import { KubeApiError, type KubeClient } from '../../pkg/kube/kube-client.ts';
import { objectPath } from '../../pkg/kube/resource-type.ts';
import { clip } from '../../pkg/json/json-value.ts';
import { NAMESPACED_POLICY_KIND } from './engine/policy.ts';
import type { Summary } from './audit-results.ts';
import type { StoredPolicy } from './policy-store.ts';
import { CLUSTER_POLICIES, NAMESPACED_POLICIES } from './resource-types.ts';

export interface PolicyStatusInput {
  policy: StoredPolicy;
  summary: Summary;
  unresolvedKinds: readonly string[];
  /** Kinds a namespaced AdmissionPolicy names that are cluster-scoped: it never applies to them. */
  clusterScopedKinds?: readonly string[];
  lastAudit?: string;
}

interface Condition {
  type: 'Ready';
  status: 'True' | 'False';
  reason: string;
  message: string;
  observedGeneration?: number;
  lastTransitionTime?: string;
}

const NAMESPACED_SCOPE = 'an AdmissionPolicy applies only to namespaced objects of its own namespace';

function readyCondition({ policy, unresolvedKinds, clusterScopedKinds = [] }: PolicyStatusInput): Condition {
  if (!policy.compiled)
    return {
      type: 'Ready',
      status: 'False',
      reason: 'Invalid',
      message: clip(policy.problems.join('; '), 1024),
    };
  if (unresolvedKinds.length > 0)
    return {
      type: 'Ready',
      status: 'False',
      reason: 'KindsNotServed',
      message: `the API server serves no resource for ${unresolvedKinds.join(', ')}`,
    };
  if (clusterScopedKinds.length > 0 && clusterScopedKinds.length >= policy.compiled.match.kinds.length)
    return {
      type: 'Ready',
      status: 'False',
      reason: 'ClusterScopedKinds',
      message: `${NAMESPACED_SCOPE}, and ${clusterScopedKinds.join(', ')} ${clusterScopedKinds.length > 1 ? 'are' : 'is'} cluster-scoped: use a ClusterAdmissionPolicy`,
    };
  const except =
    clusterScopedKinds.length > 0 ? `, except on ${clusterScopedKinds.join(', ')}: ${NAMESPACED_SCOPE}` : '';
  return {
    type: 'Ready',
    status: 'True',
    reason: 'Compiled',
    message: `${policy.compiled.action}: in effect${except}`,
  };
}

export function policyStatus(input: PolicyStatusInput): Record<string, unknown> {
  const generation = input.policy.resource.metadata?.generation;
  return {
    observedGeneration: generation,
    conditions: [{ ...readyCondition(input), observedGeneration: generation }],
    audit: { ...input.summary, ...(input.lastAudit ? { lastRun: input.lastAudit } : {}) },
  };
}

export class PolicyStatusWriter {
  private readonly written = new Map<string, string>();

  constructor(
    private readonly client: KubeClient,
    private readonly log: Logger,
  ) {}

  async write(input: PolicyStatusInput): Promise<void> {
    const status = policyStatus(input);
    const text = JSON.stringify(status);
    if (this.written.get(input.policy.key) === text) return;
    const resource = input.policy.resource;
    const previous = (resource['status'] as { conditions?: Condition[] } | undefined)?.conditions?.[0];
    const condition = (status['conditions'] as Condition[])[0]!;
    condition.lastTransitionTime =
      previous?.status === condition.status && previous.lastTransitionTime
        ? previous.lastTransitionTime
        : new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const type = resource.kind === NAMESPACED_POLICY_KIND ? NAMESPACED_POLICIES : CLUSTER_POLICIES;
    try {
      await this.client.request(
        'PATCH',
        objectPath(type, resource.metadata?.namespace, resource.metadata?.name ?? '', 'status'),
        {
          body: { status },
          contentType: 'application/merge-patch+json',
        },
      );
      this.written.set(input.policy.key, text);
    } catch (error) {
      // A policy deleted meanwhile has no status to write.
      if (error instanceof KubeApiError && error.code === 404) return;
      this.log.warn({ err: error, policy: input.policy.key }, 'could not write policy status');
    }
  }

  forget(key: string): void {
    this.written.delete(key);
  }
}
