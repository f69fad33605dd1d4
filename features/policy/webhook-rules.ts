/**
 * The webhook configuration's rules follow the policies: exactly the resources of the kinds that
 * policies name (validate rules for the validating webhook, mutate rules for the mutating one), never a
 * blanket `*`, so the API server sends prismgate only what some policy judges. Kinds are turned into
 * resources through API discovery; a kind the API server does not serve (yet) is left out and reported.
 */
import type { ApiDiscovery } from '../../pkg/kube/api-discovery.ts';
import type { CompiledPolicy } from './engine/policy.ts';
import type { WebhookRule } from '../../webhook/admission-endpoint.ts';

export interface RulesForPolicies {
  rules: WebhookRule[];
  /** `group/Kind` of kinds no served resource has. */
  unresolved: string[];
}

export function webhookRules(
  policies: readonly CompiledPolicy[],
  discovery: Pick<ApiDiscovery, 'versionsOfKind'>,
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
      const entry = byGroup.get(group) ?? { resources: new Set(), operations: new Set() };
      for (const type of served) entry.resources.add(type.resource);
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
