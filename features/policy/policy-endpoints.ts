/**
 * The policy engine's three admission endpoints:
 *
 *   /validate/policies          validate rules of the policies, for the kinds they name (rules follow them)
 *   /mutate/policies            mutate rules of the policies, likewise
 *   /validate/policy-resources  the policies themselves: one that does not compile is rejected at apply,
 *                               with every problem, one line each
 *
 * Admission results (except of dry runs, which must have no side effects) update the audit results, so
 * reports show an Audit or Warn violation as soon as it is admitted — right after the answer is sent.
 */
import type { ApiDiscovery } from '../../pkg/kube/api-discovery.ts';
import type { KubeObject } from '../../pkg/kube/types.ts';
import {
  deniesRequest,
  matchingPolicies,
  mutateWith,
  resultKind,
  validateWith,
  validationVerdict,
  type ObjectUnderReview,
  type ValidationResult,
} from './engine/evaluate.ts';
import { isRecord } from '../../pkg/json/json-value.ts';
import { isNamespaceKind, type Operation } from './engine/match.ts';
import { compilePolicy, POLICY_GROUP } from './engine/policy.ts';
import type {
  MutatingEndpoint,
  ValidatingEndpoint,
  WebhookDeclaration,
} from '../../webhook/admission-endpoint.ts';
import { subjectOf, type AdmissionRequest } from '../../webhook/admission-review.ts';
import { findingOf, objectKey, type AuditResults } from './audit-results.ts';
import type { PolicyMetrics } from './policy-metrics.ts';
import type { PolicyStore } from './policy-store.ts';
import { CLUSTER_POLICIES, NAMESPACED_POLICIES } from './resource-types.ts';
import { clusterScopedKinds } from './webhook-rules.ts';

export interface PolicyEndpointContext {
  store: PolicyStore;
  metrics: PolicyMetrics;
  results: AuditResults;
  namespaceLabels: (namespace: string) => Readonly<Record<string, string>> | undefined;
  /** The current webhook declarations; they change with the policies. */
  declarations: () => { validating: WebhookDeclaration; mutating: WebhookDeclaration };
  onRulesChanged: (listener: () => void) => void;
}

const JUDGED: ReadonlySet<string> = new Set<Operation>(['CREATE', 'UPDATE', 'DELETE']);

/** What policies see of a request; undefined for requests they never judge (status writes, CONNECT). */
function reviewOf(request: AdmissionRequest, context: PolicyEndpointContext): ObjectUnderReview | undefined {
  const object = subjectOf(request);
  if (request.subResource || !JUDGED.has(request.operation) || !object) return undefined;
  const namespace = request.namespace || object.metadata?.namespace;
  return {
    group: request.kind.group,
    kind: request.kind.kind,
    operation: request.operation as Operation,
    namespace,
    // kube-apiserver sets the request's namespace for every namespaced resource (it is in the URL), and
    // for a Namespace, which is cluster-scoped, to the Namespace's own name.
    clusterScoped: !request.namespace || isNamespaceKind(request.kind.group, request.kind.kind),
    name: request.name || object.metadata?.name,
    object,
    oldObject: request.operation === 'UPDATE' ? (request.oldObject ?? undefined) : undefined,
    namespaceLabels: () => (namespace ? context.namespaceLabels(namespace) : undefined),
  };
}

function record(
  results: readonly ValidationResult[],
  review: ObjectUnderReview,
  request: AdmissionRequest,
  context: PolicyEndpointContext,
): void {
  const object = review.object as KubeObject;
  // A deleted object leaves nothing to report on, and an unnamed one (generateName) cannot be told apart.
  if (request.dryRun || review.operation === 'DELETE' || !review.name) return;
  const timestamp = Math.floor(Date.now() / 1000);
  // One reference for all the policies' findings: with a hundred policies this runs a hundred times.
  const ref = {
    apiVersion: object.apiVersion ?? '',
    kind: review.kind,
    ...(review.namespace ? { namespace: review.namespace } : {}),
    name: review.name,
    ...(object.metadata?.uid ? { uid: object.metadata.uid } : {}),
  };
  const key = objectKey(ref);
  for (const result of results) context.results.record(findingOf(result, ref, timestamp), key);
}

/** Metrics and audit findings of one review's validation results. */
function account(
  results: readonly ValidationResult[],
  review: ObjectUnderReview,
  request: AdmissionRequest,
  context: PolicyEndpointContext,
): void {
  for (const result of results) {
    const { policy } = result;
    context.metrics.observe(
      policy.displayName,
      policy.action,
      'admission',
      resultKind(result),
      result.violations.length,
      result.seconds,
      deniesRequest(result),
    );
  }
  record(results, review, request, context);
}

export function validatingPolicyEndpoint(context: PolicyEndpointContext): ValidatingEndpoint {
  return {
    type: 'validating',
    name: 'policies',
    path: '/validate/policies',
    declaration: () => context.declarations().validating,
    onRulesChanged: context.onRulesChanged,
    validate: (request) => {
      const review = reviewOf(request, context);
      if (!review) return { denials: [], warnings: [] };
      const policies = matchingPolicies(context.store.forKind(review.group, review.kind), review).filter(
        (p) => p.validate.length > 0,
      );
      const results = policies.map((policy) => validateWith(policy, review));
      const verdict = validationVerdict(results);
      // Bookkeeping (a metric and a finding per policy, a hundred of each with a hundred policies) runs
      // once the answer is on its way: kube-apiserver is not kept waiting for it.
      setImmediate(() => account(results, review, request, context));
      return { denials: verdict.denials.map((message) => ({ message })), warnings: verdict.warnings };
    },
  };
}

export function mutatingPolicyEndpoint(context: PolicyEndpointContext): MutatingEndpoint {
  return {
    type: 'mutating',
    name: 'policies',
    path: '/mutate/policies',
    declaration: () => context.declarations().mutating,
    onRulesChanged: context.onRulesChanged,
    mutate: (request, object) => {
      const review = reviewOf(request, context);
      if (!review || review.operation === 'DELETE' || !isRecord(object)) return undefined;
      const policies = matchingPolicies(context.store.forKind(review.group, review.kind), {
        ...review,
        object,
      }).filter((p) => p.mutate.length > 0);
      const warnings: string[] = [];
      for (const policy of policies) {
        const enforce = policy.action === 'Enforce';
        const result = mutateWith(policy, { ...review, object }, object, enforce);
        context.metrics.observe(
          policy.displayName,
          policy.action,
          'admission',
          result.error ? 'error' : 'pass',
          0,
          result.seconds,
          false,
        );
        if (result.error) {
          // Fail closed: the webhook server denies the request with this message.
          if (enforce && policy.failurePolicy === 'Fail') throw new Error(result.error);
          if (policy.action !== 'Audit') warnings.push(result.error);
        } else if (policy.action === 'Warn') {
          warnings.push(
            ...result.changes.map((change) => `policy ${policy.displayName} would have ${change}`),
          );
        }
      }
      return { object, warnings };
    },
  };
}

/**
 * Validates the policy resources themselves when they are applied. With discovery, it also warns about
 * the cluster-scoped kinds a namespaced AdmissionPolicy names, which it never applies to.
 */
export function policyResourceEndpoint(discovery?: Pick<ApiDiscovery, 'versionsOfKind'>): ValidatingEndpoint {
  return {
    type: 'validating',
    name: 'policy-resources',
    path: '/validate/policy-resources',
    declaration: () => ({
      name: 'policy-resources.validate.prismgate.kappnav.io',
      rules: [
        {
          apiGroups: [POLICY_GROUP],
          apiVersions: ['*'],
          resources: [CLUSTER_POLICIES.resource, NAMESPACED_POLICIES.resource],
          operations: ['CREATE', 'UPDATE'],
        },
      ],
    }),
    validate: (request) => {
      if (request.subResource || !request.object) return { denials: [], warnings: [] };
      const compiled = compilePolicy({
        ...request.object,
        metadata: {
          ...request.object.metadata,
          namespace: request.object.metadata?.namespace ?? request.namespace,
        },
      });
      if (!compiled.ok) return { denials: compiled.problems.map((message) => ({ message })), warnings: [] };
      const ignored = discovery ? clusterScopedKinds(compiled.policy, discovery) : [];
      return {
        denials: [],
        warnings: ignored.map(
          (kind) =>
            `spec.match.resources ${JSON.stringify(kind)}: is cluster-scoped, and an AdmissionPolicy applies only to namespaced objects of its own namespace; the policy has no effect on it (use a ClusterAdmissionPolicy)`,
        ),
      };
    },
  };
}
