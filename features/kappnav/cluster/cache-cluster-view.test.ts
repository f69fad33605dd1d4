import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../../pkg/kube/kube-client.ts';
import { ResourceCache } from '../../../pkg/kube/resource-cache.ts';
import { CORE_TYPES, type ResourceType } from '../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { application, deployment } from '../../../test/support/kappnav/status-fixtures.ts';
import { CacheClusterView } from './cache-cluster-view.ts';

/** An informer over a fixed list: one list, then a watch that stays open until the cache stops. */
function cacheOf(type: ResourceType, items: KubeObject[]): ResourceCache {
  const client = {
    request: () => Promise.resolve({ items, metadata: { resourceVersion: '1' } }),
    stream: (_path: string, _query: unknown, _onLine: unknown, signal: AbortSignal) =>
      new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve())),
  } as unknown as KubeClient;
  return new ResourceCache({ client, type, log: pino({ level: 'silent' }) }).start();
}

const at = (name: string, namespace: string, labels: Record<string, string>) =>
  deployment(name, 'Normal', { namespace, labels });
const deployments = cacheOf(CORE_TYPES.deployments, [
  at('a', 'one', { app: 'web' }),
  at('b', 'one', { app: 'api' }),
  at('c', 'two', { app: 'web' }),
  at('d', 'one', {}),
]);
const applications = cacheOf(CORE_TYPES.applications, [application('web', { kinds: [], selector: {} })]);
const view = new CacheClusterView(applications, (type) =>
  type.kind === 'Deployment' ? deployments : undefined,
);
afterAll(() => Promise.all([deployments.stop(), applications.stop()]));

const names = (objects: readonly KubeObject[]) => objects.map((o) => o.metadata?.name).sort();

describe('CacheClusterView', () => {
  it('lists from the informer of the kind, by namespace, and by label through an index', async () => {
    await Promise.all([deployments.synced, applications.synced]);
    expect(names(view.list(CORE_TYPES.deployments))).toEqual(['a', 'b', 'c', 'd']);
    expect(names(view.list(CORE_TYPES.deployments, 'one'))).toEqual(['a', 'b', 'd']);
    expect(names(view.list(CORE_TYPES.deployments, 'one', { key: 'app', values: ['web', 'api'] }))).toEqual([
      'a',
      'b',
    ]);
    expect(names(view.list(CORE_TYPES.deployments, 'two', { key: 'app', values: ['web'] }))).toEqual(['c']);
    expect(view.list(CORE_TYPES.services, 'one')).toEqual([]);
  });

  it('reads applications from their own informer', () => {
    expect(names(view.applications())).toEqual(['web']);
    expect(view.getApplication('default', 'web')?.metadata?.name).toBe('web');
    expect(names(view.list(CORE_TYPES.applications, 'default'))).toEqual(['web']);
  });
});
