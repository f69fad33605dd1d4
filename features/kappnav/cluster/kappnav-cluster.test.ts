import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../../pkg/kube/kube-client.ts';
import { CacheSet } from '../../../pkg/kube/cache-set.ts';
import { collectionPath, CORE_TYPES } from '../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { application, deployment } from '../../../test/support/kappnav/status-fixtures.ts';
import { ProblemLog } from '../status/problem-log.ts';
import { KappnavCluster } from './kappnav-cluster.ts';

const at = (name: string, namespace: string, labels: Record<string, string>) =>
  deployment(name, 'Normal', { namespace, labels });
const LISTS: Record<string, KubeObject[]> = {
  [collectionPath(CORE_TYPES.deployments)]: [
    at('a', 'one', { app: 'web' }),
    at('b', 'one', { app: 'api' }),
    at('c', 'two', { app: 'web' }),
    at('d', 'one', {}),
  ],
  [collectionPath(CORE_TYPES.applications)]: [
    application('web', { kinds: [{ group: 'apps', kind: 'Deployment' }], selector: { matchLabels: {} } }),
  ],
};

/** Informers over fixed lists: one list per type (empty for types not above), then watches that stay open. */
const client = {
  request: (_method: string, path: string) =>
    Promise.resolve({ items: LISTS[path] ?? [], metadata: { resourceVersion: '1' } }),
  stream: (_path: string, _query: unknown, _onLine: unknown, signal: AbortSignal) =>
    new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve())),
} as unknown as KubeClient;
const log = pino({ level: 'silent' });
const caches = new CacheSet(client, log);
const cluster = new KappnavCluster({
  caches,
  discovery: {
    forKind: (group, kind) =>
      [CORE_TYPES.deployments, CORE_TYPES.services].find((t) => t.group === group && t.kind === kind),
    refresh: () => Promise.resolve(),
  },
  kappnavNamespace: 'kappnav',
  problems: new ProblemLog(log),
  log,
});
afterAll(async () => {
  cluster.stop();
  await caches.stop();
});

const names = (objects: readonly KubeObject[]) => objects.map((o) => o.metadata?.name).sort();

describe('KappnavCluster', () => {
  it('lists from the informer of the kind, by namespace, and by label through an index', async () => {
    await cluster.prepare({ rediscover: false });
    expect(cluster.componentKinds()).toEqual([CORE_TYPES.deployments]);
    expect(cluster.synced()).toBe(true);
    expect(names(cluster.list(CORE_TYPES.deployments))).toEqual(['a', 'b', 'c', 'd']);
    expect(names(cluster.list(CORE_TYPES.deployments, 'one'))).toEqual(['a', 'b', 'd']);
    expect(
      names(cluster.list(CORE_TYPES.deployments, 'one', { key: 'app', values: ['web', 'api'] })),
    ).toEqual(['a', 'b']);
    expect(names(cluster.list(CORE_TYPES.deployments, 'two', { key: 'app', values: ['web'] }))).toEqual([
      'c',
    ]);
    expect(cluster.list(CORE_TYPES.services, 'one')).toEqual([]);
  });

  it('reads applications from their own informer', () => {
    expect(names(cluster.applications())).toEqual(['web']);
    expect(cluster.getApplication('default', 'web')?.metadata?.name).toBe('web');
    expect(names(cluster.list(CORE_TYPES.applications, 'default'))).toEqual(['web']);
  });
});
