/**
 * Who defined a command action, and so where its Job runs and as whom (issue 15, finding 2;
 * docs/security.md, "Commands").
 *
 * kAppNav's design has two kinds of map authors (kappnav-prism.md §3.2–§3.4): the kAppNav administrator,
 * whose kind maps live in the kappnav namespace, and application teams, whose instance maps live in their
 * own namespace (a KindActionMapping's kind maps live in its namespace, too). The reference ran every
 * command as kappnav-sa in the kappnav namespace, so whoever could write a ConfigMap where kAppNav looks
 * for maps could run any image as kappnav-sa, its token mounted. Here:
 *
 * - A map is *trusted* when it lives in the kappnav namespace, or carries the label
 *   `prism.kappnav.io/trusted-commands: "true"`, which only who may `trust` `commandmaps.prism.kappnav.io`
 *   (cluster-wide) can set, or keep on a map whose content changes: the ValidatingAdmissionPolicy of
 *   manifests/deploy/trusted-command-maps.yaml. prismgate honours the label only while that policy and its
 *   binding are in force (TrustGuard). A trusted map's command runs as in the reference: a Job in the
 *   kappnav namespace under kappnav-sa.
 * - Any other map's command runs in that map's namespace, and only for a resource of that namespace: the
 *   Job is created as the requesting user (impersonation), so Kubernetes RBAC decides whether the user may
 *   create Jobs there, and it runs under the namespace's default service account — nothing the map's
 *   author could not run with `kubectl` anyway, and nowhere else.
 * - A command is resolved only from maps of its author's standing: a trusted command from trusted maps
 *   alone (a tenant's instance map cannot redefine the variables, snippets, inputs or validators it uses),
 *   a tenant's from the trusted maps and the maps of its own namespace.
 */
import { mergeActionMaps, type ActionMap, type MergedActionMap } from '../actions/action-map.ts';
import type { LocatedConfigMap } from '../kam/config-map-source.ts';
import type { MapOrigin } from '../kam/merge-config-maps.ts';
import { actionNotFound, CommandError } from './command-error.ts';
import type { JobPlacement } from './command-job.ts';

export const TRUSTED_COMMANDS_LABEL = 'prism.kappnav.io/trusted-commands';

export interface TrustPolicy {
  kappnavNamespace: string;
  /** Whether the label counts: only while the admission policy that reserves it is in force. */
  labelHonoured: boolean;
}

/** Whether a map's commands run as kappnav-sa: it is in the kappnav namespace, or an administrator labelled it. */
export function isTrustedMap(map: LocatedConfigMap, policy: TrustPolicy): boolean {
  if (map.namespace === policy.kappnavNamespace) return true;
  return policy.labelHonoured && map.configMap.metadata?.labels?.[TRUSTED_COMMANDS_LABEL] === 'true';
}

/** Who defined a command: a trusted author, or the editors of one namespace (through one of its maps). */
export type CommandAuthority = { trusted: true } | { trusted: false; namespace: string; map: string };

/** The authority of the map `origin` names among the maps merged. */
export function authorityOf(
  merged: readonly LocatedConfigMap[],
  origin: Pick<MapOrigin, 'name' | 'namespace'>,
  policy: TrustPolicy,
): CommandAuthority {
  const map = merged.find((m) => m.name === origin.name && m.namespace === origin.namespace);
  return map && isTrustedMap(map, policy)
    ? { trusted: true }
    : { trusted: false, namespace: origin.namespace, map: origin.name };
}

/**
 * The maps a command of `authority` is resolved from, in hierarchy order. A command found in the merge of
 * these comes from the same map as in the merge of all: every map before its own here was before it there.
 */
export function mapsOfStanding(
  merged: readonly LocatedConfigMap[],
  authority: CommandAuthority,
  policy: TrustPolicy,
): LocatedConfigMap[] {
  return merged.filter(
    (map) => isTrustedMap(map, policy) || (!authority.trusted && map.namespace === authority.namespace),
  );
}

/**
 * Where the Job of a command for a resource of `targetNamespace` runs: a trusted command in the kappnav
 * namespace under kappnav-sa; a tenant's in its map's namespace, which must be the target's.
 */
export function placementOf(
  authority: CommandAuthority,
  action: string,
  targetNamespace: string,
  kappnav: { namespace: string; serviceAccountName: string },
): JobPlacement {
  if (authority.trusted)
    return { namespace: kappnav.namespace, serviceAccountName: kappnav.serviceAccountName };
  if (authority.namespace !== targetNamespace)
    throw new CommandError(
      'untrusted-elsewhere',
      `Command action ${action} comes from ConfigMap ${authority.namespace}/${authority.map}, which is not trusted: ` +
        `its commands run only for resources of namespace ${authority.namespace}, not of ${targetNamespace}.`,
    );
  return { namespace: authority.namespace };
}

/** How one command runs: who defined it, where its Job goes, and the map it is found and resolved in. */
export interface CommandPlan {
  authority: CommandAuthority;
  placement: JobPlacement;
  /** The merge of the maps of the author's standing. */
  actionMap: ActionMap;
}

export function planCommand(
  maps: Pick<MergedActionMap, 'origins' | 'merged'>,
  action: string,
  targetNamespace: string,
  policy: TrustPolicy,
  serviceAccountName: string,
): CommandPlan {
  const origin = maps.origins.get('cmd-actions')?.get(action);
  if (!origin) throw actionNotFound(action);
  const authority = authorityOf(maps.merged, origin, policy);
  return {
    authority,
    placement: placementOf(authority, action, targetNamespace, {
      namespace: policy.kappnavNamespace,
      serviceAccountName,
    }),
    actionMap: mergeActionMaps(mapsOfStanding(maps.merged, authority, policy)).map,
  };
}
