import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { isComponentOf, isHiddenApplication, readApplication } from './application.ts';
import { DEFAULT_KAPPNAV_CONFIG, readKappnavConfig } from './config.ts';
import { normalizeComponentKinds } from './component-kinds.ts';
import { MemoryCluster } from '../../../test/support/kappnav/memory-cluster.ts';
import {
  application,
  deployment,
  node,
  service,
  TEST_TYPES,
} from '../../../test/support/kappnav/status-fixtures.ts';

const registry = new MemoryCluster(TEST_TYPES);

describe('normalizeComponentKinds (kappnav-prism.md §2.2)', () => {
  const resolved = (kinds: unknown) => {
    const { types, dropped } = normalizeComponentKinds(kinds, registry);
    return { types: types.map((t) => `${t.group}/${t.version}/${t.kind}`), dropped };
  };

  it('keeps a served group and reads core, a missing group and a wrong group through the known groups', () => {
    expect(
      resolved([
        { group: 'apps', kind: 'Deployment' },
        { group: 'core', kind: 'Service' },
        { kind: 'ConfigMap' },
        { group: 'deployments', kind: 'StatefulSet' },
        { group: 'apps', kind: 'Ingress' },
        { group: 'v1', kind: 'Pod' },
        { group: 'node', kind: 'Node' },
      ]),
    ).toEqual({
      types: [
        'apps/v1/Deployment',
        '/v1/Service',
        '/v1/ConfigMap',
        'apps/v1/StatefulSet',
        'networking.k8s.io/v1/Ingress',
        '/v1/Pod',
        '/v1/Node',
      ],
      dropped: [],
    });
  });

  it('drops kinds the cluster does not serve, entries without a kind, and duplicates', () => {
    expect(
      resolved([
        { group: 'apps', kind: 'CloudService' },
        { group: 'example.com', kind: 'Widget' },
        { group: 'apps' },
        { group: 'apps', kind: 'Deployment' },
        { group: 'deployments', kind: 'Deployment' },
      ]),
    ).toEqual({
      types: ['apps/v1/Deployment'],
      dropped: [
        'componentKinds[0] apps/CloudService is not served by the cluster; it is ignored',
        'componentKinds[1] example.com/Widget is not served by the cluster; it is ignored',
        'componentKinds[2] has no kind',
      ],
    });
    expect(resolved({ kind: 'Service' }).dropped).toEqual(['componentKinds is not a list']);
  });

  it('prefers the served group over the known one, as discovery knows CRDs that the table cannot', () => {
    const custom = new MemoryCluster([
      { group: 'example.com', version: 'v2', resource: 'services', kind: 'Service', namespaced: true },
    ]);
    expect(
      normalizeComponentKinds([{ group: 'example.com', kind: 'Service' }], custom).types[0]?.version,
    ).toBe('v2');
  });
});

describe('readApplication', () => {
  it('reads kinds, selector, component namespaces and problems', () => {
    const app = readApplication(
      application('shop', {
        namespace: 'ns1',
        annotations: { 'kappnav.component.namespaces': ',ns2, ns3 ,Bad_NS' },
        kinds: [
          { group: 'apps', kind: 'Deployment' },
          { group: 'x', kind: 'CloudService' },
        ],
        selector: { matchLabels: { app: 'shop' }, matchExpressions: [{ key: 'tier', operator: 'In' }] },
      }),
      registry,
      DEFAULT_KAPPNAV_CONFIG,
    );
    expect(app.name).toBe('shop');
    expect(app.inScope).toBe(true);
    expect(app.componentKinds.map((t) => t.kind)).toEqual(['Deployment']);
    expect(app.selector).toEqual([{ key: 'app', operator: 'Equals', values: ['shop'] }]);
    // QUIRK fixed: the leading comma no longer glues ",ns2" into one name.
    expect([...app.componentNamespaces]).toEqual(['ns1', 'ns2', 'ns3']);
    expect(app.problems).toEqual([
      'componentKinds[1] x/CloudService is not served by the cluster; it is ignored',
      'selector: matchExpressions[0] (In) has no values, so it is ignored',
      'kappnav.component.namespaces: "Bad_NS" is not a namespace name; it is ignored',
    ]);
  });

  it('applies the app-namespaces frontier to the application and to its annotated namespaces', () => {
    const { config } = readKappnavConfig({ 'app-namespaces': 'ns1, ns2' });
    const annotated = { 'kappnav.component.namespaces': 'ns2, ns3' };
    const inside = readApplication(
      application('a', { namespace: 'ns1', annotations: annotated, kinds: [], selector: {} }),
      registry,
      config,
    );
    expect(inside.inScope).toBe(true);
    expect([...inside.componentNamespaces]).toEqual(['ns1', 'ns2']);
    expect(inside.problems).toEqual([
      'kappnav.component.namespaces: namespace ns3 is outside app-namespaces; it is ignored',
    ]);
    const outside = readApplication(
      application('a', { namespace: 'ns4', kinds: [], selector: {} }),
      registry,
      config,
    );
    expect(outside.inScope).toBe(false);
    expect(outside.componentNamespaces.size).toBe(0);
  });

  it.each<[string | undefined, boolean]>([
    ['true', true],
    [' TRUE ', true],
    ['false', false],
    ['', false],
    ['yes', false],
    [undefined, false],
  ])('hides on kappnav.application.hidden %j: %s', (value, hidden) => {
    const object = application('a', {
      ...(value === undefined ? {} : { annotations: { 'kappnav.application.hidden': value } }),
      kinds: [],
      selector: {},
    });
    expect(isHiddenApplication(object)).toBe(hidden);
    expect(readApplication(object, registry, DEFAULT_KAPPNAV_CONFIG).hidden).toBe(hidden);
  });
});

describe('isComponentOf (kappnav-prism.md §2.4)', () => {
  const app = (overrides: Partial<Parameters<typeof application>[1]> = {}) =>
    readApplication(
      application('shop', {
        kinds: [
          { group: 'apps', kind: 'Deployment' },
          { group: 'core', kind: 'Service' },
          { group: '', kind: 'Node' },
          { group: 'apps', kind: 'Application' },
        ],
        selector: { matchLabels: { app: 'shop' } },
        labels: { app: 'shop' },
        ...overrides,
      }),
      registry,
      DEFAULT_KAPPNAV_CONFIG,
    );
  const labels = { app: 'shop' };

  it('needs a listed kind, a matching selector and a permitted namespace', () => {
    expect(isComponentOf(app(), deployment('d', 'Normal', { labels }))).toBe(true);
    expect(isComponentOf(app(), service('s', { labels }))).toBe(true);
    expect(isComponentOf(app(), deployment('d', 'Normal', { labels: { app: 'other' } }))).toBe(false);
    expect(isComponentOf(app(), deployment('d', 'Normal', { labels, namespace: 'elsewhere' }))).toBe(false);
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default', labels },
    };
    expect(isComponentOf(app(), pod)).toBe(false);
    // Same kind name in another group is another kind.
    const foreign: KubeObject = {
      apiVersion: 'example.com/v1',
      kind: 'Deployment',
      metadata: { name: 'x', namespace: 'default', labels },
    };
    expect(isComponentOf(app(), foreign)).toBe(false);
  });

  it('takes cluster-scoped kinds from anywhere', () => {
    expect(isComponentOf(app(), node('n1', 'True', labels))).toBe(true);
  });

  it('excludes the application itself, but not its namesake in another namespace', () => {
    const self = app();
    expect(isComponentOf(self, self.object)).toBe(false);
    const namesake = application('shop', { namespace: 'ns2', labels, kinds: [], selector: {} });
    const wide = app({ annotations: { 'kappnav.component.namespaces': 'ns2' } });
    expect(isComponentOf(wide, namesake)).toBe(true);
  });

  it('selects nothing with an empty selector', () => {
    expect(isComponentOf(app({ selector: {} }), deployment('d', 'Normal', { labels }))).toBe(false);
    expect(
      isComponentOf(
        app({ selector: { matchExpressions: [{ key: 'app', operator: 'In' }] } }),
        deployment('d', 'Normal', { labels }),
      ),
    ).toBe(false);
  });
});
