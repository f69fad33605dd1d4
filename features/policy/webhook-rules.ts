/**
 * The webhook configuration's rules follow the policies: exactly the resources of the kinds that
 * policies name (validate rules for the validating webhook, mutate rules for the mutating one), never a
 * blanket `*`, so the API server sends prismgate only what some policy judges. Kinds are turned into
 * resources through API discovery; a kind the API server does not serve (yet) is left out and reported.
 *
 * A namespaced AdmissionPolicy applies to namespaced objects only (engine/match.ts), so the cluster-scoped
 * kinds it names add nothing to the registration: whoever may write policies in one namespace cannot
 * route requests for Namespaces, ClusterRoles or webhook configurations through prismgate.
 */
import type { ApiDiscovery, DiscoveredType } from '../../pkg/kube/api-discovery.ts';
import type { CompiledPolicy } from './engine/policy.ts';
import type { WebhookRule } from '../../webhook/admission-endpoint.ts';

type KindDiscovery = Pick<ApiDiscovery, 'versionsOfKind'>;

export interface RulesForPolicies {
  rules: WebhookRule[];
  /** `group/Kind` of kinds no served resource has. */
  unresolved: string[];
}

/** The served types a policy's kind reaches: a namespaced policy's never include cluster-scoped ones. */
function reachableTypes(policy: CompiledPolicy, served: readonly DiscoveredType[]): DiscoveredType[] {
  return policy.namespace === undefined ? [...served] : served.filter((type) => type.namespaced);
}

/** `group/Kind` of the kinds a namespaced AdmissionPolicy names that are served cluster-scoped only. */
export function clusterScopedKinds(policy: CompiledPolicy, discovery: KindDiscovery): string[] {
  if (policy.namespace === undefined) return [];
  return policy.match.kinds
    .filter(({ group, kind }) => {
      const served = discovery.versionsOfKind(group, kind);
      return served.length > 0 && reachableTypes(policy, served).length === 0;
    })
    .map(({ group, kind }) => `${group}/${kind}`);
}

export function webhookRules(
  policies: readonly CompiledPolicy[],
  discovery: KindDiscovery,
): RulesForPolicies {
  const byGroup = new Map<
    string,
    { resources: Set<string>; operations: Set<WebhookRule['operations'][number]> }
  >();
  const unresolved = new Set<string>();
  for (const policy of policies) {
    for (const { group, kind } of policy.match.kinds) {
      const served = discovery.versionsOfKind(group, kind);
      if (served.length === 0) {
        unresolved.add(`${group}/${kind}`);
        continue;
      }
      const reachable = reachableTypes(policy, served);
      if (reachable.length === 0) continue;
      const entry = byGroup.get(group) ?? { resources: new Set(), operations: new Set() };
      for (const type of reachable) entry.resources.add(type.resource);
      for (const operation of policy.match.operations) entry.operations.add(operation);
      byGroup.set(group, entry);
    }
  }
  const rules = [...byGroup.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([group, { resources, operations }]) => ({
      apiGroups: [group],
      apiVersions: ['*'],
      resources: [...resources].sort(),
      operations: [...operations].sort(),
    }));
  return { rules, unresolved: [...unresolved].sort() };
}
