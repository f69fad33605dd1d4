/**
 * The command Jobs (kappnav-prism.md §5.3): Jobs labelled `kappnav-job-type=command` in the kappnav
 * namespace, watched, and who may see and delete which.
 *
 * A user sees the Jobs recorded as theirs (`kappnav-job-user-id`, written from the authenticated user),
 * and every command Job when they may `list` Jobs in the kappnav namespace: hiding from such a user what
 * `kubectl get jobs -n kappnav` shows them anyway would protect nothing. Likewise a user deletes their own,
 * and others' only when they may `delete` Jobs there.
 */
import type { CacheSet } from '../../../../pkg/kube/cache-set.ts';
import type { ResourceCache } from '../../../../pkg/kube/resource-cache.ts';
import { CORE_TYPES, objectPath } from '../../../../pkg/kube/resource-type.ts';
import type { KubeObject, KubeStatus } from '../../../../pkg/kube/types.ts';
import { JOB_ANNOTATIONS } from '../../commands/command-job.ts';
import { assertCommandJob, COMMAND_JOB_SELECTOR } from '../../commands/command-list.ts';
import type { User } from '../../../../aggregated-api/authn/user.ts';
import type { ReadRequirement } from '../../../../aggregated-api/authz/read-access.ts';
import { requireAccess } from '../../../../aggregated-api/authz/require-access.ts';
import type { ActionDependencies } from './action-context.ts';

/** Where the command Jobs come from: the watch cache in the server, memory in tests. */
export interface CommandJobSource {
  jobs(): readonly KubeObject[];
  /** Called after any command Job changed. */
  onChange(listener: () => void): void;
}

export class CachedCommandJobs implements CommandJobSource {
  readonly cache: ResourceCache;

  constructor(caches: CacheSet, kappnavNamespace: string) {
    this.cache = caches.get(CORE_TYPES.jobs, {
      namespace: kappnavNamespace,
      labelSelector: COMMAND_JOB_SELECTOR,
    });
  }

  jobs(): readonly KubeObject[] {
    return this.cache.list();
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

/** What seeing another user's command Job takes: `list` Jobs in the kappnav namespace. */
export function commandReadRequirements(
  owner: string | undefined,
  user: User,
  kappnavNamespace: string,
): ReadRequirement[] {
  return owner === user.name
    ? []
    : [{ group: CORE_TYPES.jobs.group, resource: CORE_TYPES.jobs.resource, namespace: kappnavNamespace }];
}

/**
 * Deletes a command Job the user may delete. Its pods go with it (background propagation): the reference
 * orphaned them (QUIRK), which left a completed command's pods behind for good.
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
  const namespace = deps.cluster.kappnavNamespace;
  if (commandUser(job) !== user.name) {
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
  await deps.client.request('DELETE', objectPath(CORE_TYPES.jobs, namespace, name), {
    query: { propagationPolicy, ...(dryRun ? { dryRun: 'All' } : {}) },
  });
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
