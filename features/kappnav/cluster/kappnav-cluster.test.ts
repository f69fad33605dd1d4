import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheSet } from '../../../pkg/kube/cache-set.ts';
import type { KubeClient } from '../../../pkg/kube/kube-client.ts';
import { collectionPath, CORE_TYPES, type ResourceType } from '../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { application, deployment } from '../../../test/support/kappnav/status-fixtures.ts';
import { eventually } from '../../../test/support/eventually.ts';
import { ProblemLog } from '../status/problem-log.ts';
import { KappnavCluster } from './kappnav-cluster.ts';
import type { ClusterEvent } from './kappnav-source.ts';

const at = (name: string, namespace: string, labels: Record<string, string>) =>
  deployment(name, 'Normal', { namespace, labels });
const configMap = (namespace: string, name: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { namespace, name, labels },
  data: {},
});
const MAP_TYPE = { 'kappnav.io/map-type': 'actions' };

const OBJECTS: [ResourceType, KubeObject][] = [
  ...[at('a', 'one', { app: 'web' }), at('b', 'one', { app: 'api' }), at('c', 'two', { app: 'web' })].map(
    (d): [ResourceType, KubeObject] => [CORE_TYPES.deployments, d],
  ),
  [CORE_TYPES.deployments, at('d', 'one', {})],
  [
    CORE_TYPES.applications,
    application('web', { kinds: [{ group: 'apps', kind: 'Deployment' }], selector: { matchLabels: {} } }),
  ],
  [
    CORE_TYPES.kindActionMappings,
    {
      apiVersion: 'actions.kappnav.io/v1',
      kind: 'KindActionMapping',
      metadata: { namespace: 'team', name: 'k' },
    },
  ],
  [CORE_TYPES.configMaps, configMap('kappnav', 'kappnav-config')],
  [CORE_TYPES.configMaps, configMap('team', 'team.actions.deployment')],
  [CORE_TYPES.configMaps, configMap('shop', 'shop.actions.deployment.web', MAP_TYPE)],
  [CORE_TYPES.configMaps, configMap('shop', 'unrelated')],
];

/** A list of the objects above, as the API server answers it; watches stay open for `push`. */
const watches = new Map<string, (line: unknown) => void>();
const client = {
  request: (_method: string, path: string, options?: { query?: { labelSelector?: string } }) => {
    const label = options?.query?.labelSelector;
    const items = OBJECTS.filter(
      ([type, object]) =>
        (path === collectionPath(type) || path === collectionPath(type, object.metadata?.namespace)) &&
        (!label || object.metadata?.labels?.[label] !== undefined),
    ).map(([, object]) => object);
    return Promise.resolve({ items, metadata: { resourceVersion: '1' } });
  },
  stream: (
    path: string,
    query: { labelSelector?: string },
    onLine: (line: unknown) => void,
    signal: AbortSignal,
  ) => {
    watches.set(`${path}?${query.labelSelector ?? ''}`, onLine);
    return new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
  },
} as unknown as KubeClient;
/** An informer event on the watch of `path` (with `labelSelector`). */
const push = (path: string, object: KubeObject, labelSelector = '') =>
  watches.get(`${path}?${labelSelector}`)!({ type: 'MODIFIED', object });

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
const events: ClusterEvent[] = [];
cluster.onChange((event) => events.push(event));
beforeAll(() => cluster.prepare({ rediscover: false }));
afterAll(async () => {
  cluster.stop();
  await caches.stop();
});

const names = (objects: readonly KubeObject[]) => objects.map((o) => o.metadata?.name).sort();

describe('KappnavCluster', () => {
  it('follows the kinds applications name, and says so', () => {
    expect(cluster.componentKinds()).toEqual([CORE_TYPES.deployments]);
    expect(events).toContainEqual({ type: 'component-kinds' });
    expect(cluster.synced()).toBe(true);
    expect(cluster.unsynced()).toEqual([]);
  });

  it('lists from the informer of the kind, by namespace, and by label through an index', () => {
    expect(names(cluster.list(CORE_TYPES.deployments))).toEqual(['a', 'b', 'c', 'd']);
    expect(names(cluster.list(CORE_TYPES.deployments, 'one'))).toEqual(['a', 'b', 'd']);
    expect(
      names(cluster.list(CORE_TYPES.deployments, 'one', { key: 'app', values: ['web', 'api'] })),
    ).toEqual(['a', 'b']);
    expect(names(cluster.list(CORE_TYPES.deployments, 'two', { key: 'app', values: ['web'] }))).toEqual([
      'c',
    ]);
    expect(cluster.list(CORE_TYPES.services, 'one')).toEqual([]);
    expect(cluster.cached(CORE_TYPES.deployments, 'two', 'c')?.metadata?.name).toBe('c');
  });

  it('reads applications from their own informer', () => {
    expect(names(cluster.applications())).toEqual(['web']);
    expect(cluster.getApplication('default', 'web')?.metadata?.name).toBe('web');
    expect(names(cluster.list(CORE_TYPES.applications, 'default'))).toEqual(['web']);
  });

  it("reads ConfigMaps where kAppNav's maps may be: its namespace, the KindActionMappings', labelled ones", () => {
    expect(cluster.getConfigMap('kappnav', 'kappnav-config')).toBeDefined();
    expect(cluster.getConfigMap('team', 'team.actions.deployment')).toBeDefined();
    expect(cluster.getConfigMap('shop', 'shop.actions.deployment.web')).toBeDefined();
    expect(cluster.getConfigMap('shop', 'unrelated')).toBeUndefined();
  });

  it('tells a change of a status map or kappnav-config from one of another map', async () => {
    const configMaps = collectionPath(CORE_TYPES.configMaps, 'team');
    events.length = 0;
    push(configMaps, { ...configMap('team', 'team.actions.deployment'), data: { 'url-actions': '[]' } });
    push(configMaps, { ...configMap('team', 'team.status-mapping.deployment'), data: { exists: '{}' } });
    push(
      collectionPath(CORE_TYPES.configMaps),
      configMap('shop', 'elsewhere', MAP_TYPE),
      'kappnav.io/map-type',
    );
    push(collectionPath(CORE_TYPES.configMaps, 'kappnav'), {
      ...configMap('kappnav', 'kappnav-config'),
      data: { 'status-unknown': 'Unclear' },
    });
    await eventually('the informers to deliver the changes', () => events.length === 4 || undefined);
    expect(events).toEqual([
      { type: 'maps', status: false },
      { type: 'maps', status: true },
      { type: 'maps', status: false },
      { type: 'maps', status: true },
    ]);
    expect(cluster.kappnavConfig().statusUnknown).toBe('Unclear');
  });
});
