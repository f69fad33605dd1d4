/**
 * The command Jobs (kappnav-prism.md §5.3): Jobs labelled `kappnav-job-type=command`, watched, and who may
 * see and delete which. Trusted commands run in the kappnav namespace, where only prismgate creates them;
 * tenants' commands run in their maps' namespaces, created as the requesting user
 * (commands/command-trust.ts).
 *
 * In the kappnav namespace a user sees the Jobs recorded as theirs (`kappnav-job-user-id`, which
 * prismgate wrote from the authenticated user), and every command Job when they may `list` Jobs there:
 * hiding from such a user what `kubectl get jobs -n kappnav` shows them anyway would protect nothing.
 * Likewise a user deletes their own, and others' only when they may `delete` Jobs there. Elsewhere the
 * annotation is whatever the namespace's editors wrote, so it proves nothing: a Job there is seen by who
 * may `list` Jobs in its namespace and deleted as the requesting user, so Kubernetes RBAC decides.
 */
import type { CacheSet } from '../../../../pkg/kube/cache-set.ts';
import type { ResourceCache } from '../../../../pkg/kube/resource-cache.ts';
import { CORE_TYPES, objectPath } from '../../../../pkg/kube/resource-type.ts';
import type { KubeObject, KubeStatus } from '../../../../pkg/kube/types.ts';
import { JOB_ANNOTATIONS } from '../../commands/command-job.ts';
import { assertCommandJob, COMMAND_JOB_SELECTOR } from '../../commands/command-list.ts';
import type { User } from '../../../../server/delegated-auth/user.ts';
import type { ReadRequirement } from '../../../../aggregated-api/authz/read-access.ts';
import { requireAccess } from '../../../../aggregated-api/authz/require-access.ts';
import type { ActionDependencies } from './action-context.ts';
import { impersonationDenial, impersonationHeaders } from './impersonation.ts';

/** Where the command Jobs come from: the watch cache in the server, memory in tests. */
export interface CommandJobSource {
  jobs(): readonly KubeObject[];
  /** Called after any command Job changed. */
  onChange(listener: () => void): void;
}

export class CachedCommandJobs implements CommandJobSource {
  readonly cache: ResourceCache;

  constructor(
    caches: CacheSet,
    private readonly kappnavNamespace: string,
  ) {
    this.cache = caches.get(CORE_TYPES.jobs, { labelSelector: COMMAND_JOB_SELECTOR });
  }

  /**
   * Commands are named like their Jobs, across namespaces, so one Job per name: a Job of the kappnav
   * namespace keeps its name against a Job of the same name elsewhere (which a tenant could create to
   * stand in for it), and elsewhere the first listed keeps it.
   */
  jobs(): readonly KubeObject[] {
    const all = this.cache.list();
    const byName = new Map<string | undefined, KubeObject>();
    const inKappnav = (job: KubeObject) => job.metadata?.namespace === this.kappnavNamespace;
    for (const job of [...all.filter(inKappnav), ...all.filter((job) => !inKappnav(job))])
      if (!byName.has(job.metadata?.name)) byName.set(job.metadata?.name, job);
    return [...byName.values()];
  }

  onChange(listener: () => void): void {
    this.cache.onEvent(() => listener());
  }
}

/** The user a command Job was run for (the annotation; a label of that name on Jobs of old releases). */
export function commandUser(job: KubeObject): string | undefined {
  return (
    job.metadata?.annotations?.[JOB_ANNOTATIONS.userId] ?? job.metadata?.labels?.[JOB_ANNOTATIONS.userId]
  );
}

/** A command Job as visibility needs it: where it is and whom it was recorded for. */
export interface CommandJobOwnership {
  namespace: string;
  user: string | undefined;
}

export function ownershipOf(job: KubeObject): CommandJobOwnership {
  return { namespace: job.metadata?.namespace ?? '', user: commandUser(job) };
}

/** `list` Jobs in a namespace: what seeing any command Job there takes. */
export function commandJobsRequirement(namespace: string): ReadRequirement {
  return { group: CORE_TYPES.jobs.group, resource: CORE_TYPES.jobs.resource, namespace };
}

/**
 * What seeing a command Job takes: nothing for the user prismgate recorded it for in the kappnav
 * namespace, `list` Jobs in its namespace otherwise.
 */
export function commandReadRequirements(
  job: CommandJobOwnership,
  user: User,
  kappnavNamespace: string,
): ReadRequirement[] {
  return job.namespace === kappnavNamespace && job.user === user.name
    ? []
    : [commandJobsRequirement(job.namespace)];
}

/**
 * Deletes a command Job the user may delete: in the kappnav namespace as prismgate (the user's own, or
 * another's when the user may delete Jobs there), elsewhere as the user. Its pods go with it (background
 * propagation): the reference orphaned them (QUIRK), which left a completed command's pods behind for good.
 */
export async function deleteCommandJob(
  deps: Pick<ActionDependencies, 'client' | 'reviewer' | 'cluster'>,
  user: User,
  job: KubeObject,
  dryRun: boolean,
  /** Background unless asked otherwise: the Job's pods go with it (the seed orphaned them, a QUIRK). */
  propagationPolicy: 'Foreground' | 'Background' | 'Orphan' = 'Background',
): Promise<KubeStatus> {
  const name = job.metadata?.name ?? '';
  assertCommandJob(job, name);
  const namespace = job.metadata?.namespace ?? '';
  const trusted = namespace === deps.cluster.kappnavNamespace;
  if (trusted && commandUser(job) !== user.name) {
    const attributes = {
      verb: 'delete',
      group: CORE_TYPES.jobs.group,
      resource: CORE_TYPES.jobs.resource,
      namespace,
      name,
    };
    await requireAccess(deps.reviewer, user, attributes);
  }
  // DeleteOptions as query parameters, which kube-apiserver reads as it reads the body: Node sends the
  // body of a DELETE without framing, which corrupts the next request on the kept-alive connection.
  try {
    await deps.client.request('DELETE', objectPath(CORE_TYPES.jobs, namespace, name), {
      query: { propagationPolicy, ...(dryRun ? { dryRun: 'All' } : {}) },
      ...(trusted ? {} : { headers: impersonationHeaders(user) }),
    });
  } catch (error) {
    throw trusted ? error : impersonationDenial(error, user, 'deleting the command', namespace);
  }
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: {
      name,
      group: CORE_TYPES.jobs.group,
      kind: CORE_TYPES.jobs.resource,
      ...(job.metadata?.uid ? { uid: job.metadata.uid } : {}),
    },
    code: 200,
  };
}
