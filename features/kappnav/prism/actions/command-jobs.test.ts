import { describe, expect, it } from 'vitest';
import type { CacheSet } from '../../../../pkg/kube/cache-set.ts';
import type { KubeObject } from '../../../../pkg/kube/types.ts';
import { CachedCommandJobs, commandReadRequirements } from './command-jobs.ts';

const job = (namespace: string, name: string, user?: string): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: {
    namespace,
    name,
    labels: { 'kappnav-job-type': 'command' },
    ...(user ? { annotations: { 'kappnav-job-user-id': user } } : {}),
  },
});

/** The command Jobs of `listed`, as the shared cache would hold them. */
function commandJobs(listed: KubeObject[]): CachedCommandJobs {
  const caches = { get: () => ({ list: () => listed, onEvent: () => () => undefined }) };
  return new CachedCommandJobs(caches as unknown as CacheSet, 'kappnav');
}

describe('command Jobs across namespaces (issue 15, finding 2)', () => {
  it("keeps one Job per name, the kappnav namespace's first, so a tenant's Job cannot stand in for it", () => {
    const jobs = commandJobs([
      job('dev', 'kappnav-1', 'admin'),
      job('kappnav', 'kappnav-1', 'admin'),
      job('dev', 'kappnav-2'),
      job('prod', 'kappnav-2'),
    ]).jobs();
    expect(jobs.map((j) => `${j.metadata?.namespace}/${j.metadata?.name}`)).toEqual([
      'kappnav/kappnav-1',
      'dev/kappnav-2',
    ]);
  });

  it("takes a Job's user annotation as proof of ownership in the kappnav namespace only", () => {
    const user = { name: 'admin', groups: [], extra: {} };
    expect(commandReadRequirements({ namespace: 'kappnav', user: 'admin' }, user, 'kappnav')).toEqual([]);
    expect(commandReadRequirements({ namespace: 'dev', user: 'admin' }, user, 'kappnav')).toEqual([
      { group: 'batch', resource: 'jobs', namespace: 'dev' },
    ]);
  });
});
