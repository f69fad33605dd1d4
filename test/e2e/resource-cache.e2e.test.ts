/** The informer caches every admission decision and prism response reads from, on a real API server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { KubeClient } from '../../pkg/kube/kube-client.ts';
import { ResourceCache, type CacheEvent } from '../../pkg/kube/resource-cache.ts';
import { CORE_TYPES } from '../../pkg/kube/resource-type.ts';
import { ApiDiscovery } from '../../pkg/kube/api-discovery.ts';
import type { KubeObject } from '../../pkg/kube/types.ts';
import { eventually, freshNamespace, kubeConfig, kubectlOk } from './support/cluster.ts';
import { ensureCrds } from './support/crds.ts';
import { proxiedApiServer, type StallableTcpProxy } from './support/tcp-proxy.ts';

const log = pino({ level: 'silent' });

describe('ResourceCache', () => {
  let ns: string;
  let cache: ResourceCache;
  const events: CacheEvent<KubeObject>[] = [];

  beforeAll(async () => {
    ns = await freshNamespace('cache');
    await kubectlOk(['create', 'configmap', 'before', '-n', ns, '--from-literal=k=1']);
    cache = new ResourceCache({
      client: new KubeClient(kubeConfig()),
      type: CORE_TYPES.configMaps,
      namespace: ns,
      log,
      pageSize: 2,
    });
    cache.addIndex('value', (cm) => [String((cm.data as Record<string, string> | undefined)?.k)]);
    cache.onEvent((event) => events.push(event));
    await cache.start().synced;
  });
  afterAll(() => cache.stop());

  it('lists existing objects (across pages) with apiVersion and kind filled in', () => {
    const before = cache.get(ns, 'before');
    expect(before).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', data: { k: '1' } });
    expect(cache.list(ns).map((cm) => cm.metadata?.name)).toEqual(
      expect.arrayContaining(['before', 'kube-root-ca.crt']),
    );
  });

  it('follows creations, updates and deletions through the watch, and keeps indexes current', async () => {
    await kubectlOk(['create', 'configmap', 'during', '-n', ns, '--from-literal=k=2']);
    await eventually('ADDED', () => cache.get(ns, 'during'));
    expect(cache.byIndex('value', '2').map((cm) => cm.metadata?.name)).toEqual(['during']);
    // Read before the change too: byIndex keeps what it answered until an object under the value changes.
    expect(cache.byIndex('value', '3')).toEqual([]);
    await kubectlOk(['patch', 'configmap', 'during', '-n', ns, '-p', '{"data":{"k":"3"}}']);
    await eventually('MODIFIED', () => (cache.get(ns, 'during')?.data as { k: string }).k === '3');
    expect(cache.byIndex('value', '2')).toEqual([]);
    expect(cache.byIndex('value', '3')).toEqual([cache.get(ns, 'during')]);
    await kubectlOk(['delete', 'configmap', 'during', '-n', ns]);
    await eventually('DELETED', () => cache.get(ns, 'during') === undefined);
    expect(cache.byIndex('value', '3')).toEqual([]);
    expect(events.filter((e) => e.object.metadata?.name === 'during').map((e) => e.type)).toEqual([
      'ADDED',
      'MODIFIED',
      'DELETED',
    ]);
  });
});

describe('a watch that dies silently', () => {
  let proxy: StallableTcpProxy;
  let cache: ResourceCache;
  let ns: string;

  beforeAll(async () => {
    ns = await freshNamespace('silent');
    const proxied = await proxiedApiServer();
    proxy = proxied.proxy;
    const kc = proxied.kubeConfig;
    cache = new ResourceCache({
      client: new KubeClient(kc),
      type: CORE_TYPES.configMaps,
      namespace: ns,
      log,
      watchIdleTimeoutMs: 3_000,
    });
    await cache.start().synced;
  });
  afterAll(async () => {
    await cache.stop();
    await proxy.close();
  });

  it('is detected by the watchdog, restarted, and nothing is lost', async () => {
    // An object seen through the watch proves the watch connection is established before we stall it.
    await kubectlOk(['create', 'configmap', 'before-stall', '-n', ns]);
    await eventually('the watch to deliver an event', () => cache.get(ns, 'before-stall'));
    const restartsBefore = cache.watchdogRestarts;
    // The watch connection now carries nothing, but stays open: no error, no end of stream.
    proxy.stallOpenConnections();
    await kubectlOk(['create', 'configmap', 'while-stalled', '-n', ns, '--from-literal=k=v']);
    const seen = await eventually(
      'the object created while the watch was stalled',
      () => cache.get(ns, 'while-stalled'),
      30_000,
    );
    expect(seen.metadata?.name).toBe('while-stalled');
    expect(cache.watchdogRestarts).toBeGreaterThan(restartsBefore);
  });
});

describe('ApiDiscovery', () => {
  beforeAll(() => ensureCrds());

  it('finds built-in kinds and CRDs with their preferred version and scope', async () => {
    const discovery = new ApiDiscovery(new KubeClient(kubeConfig()), log);
    await discovery.refresh();
    expect(discovery.forKind('apps', 'Deployment')).toMatchObject({
      version: 'v1',
      resource: 'deployments',
      namespaced: true,
    });
    expect(discovery.forKind('', 'Node')).toMatchObject({ resource: 'nodes', namespaced: false });
    expect(discovery.forKind('api.vimana.host', 'Server')).toMatchObject({
      version: 'v1alpha1',
      resource: 'servers',
    });
    expect(discovery.groupsServingKind('Deployment')).toEqual(['apps']);
  });
});
