import { afterAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { ScriptSandbox } from '../../../pkg/sandbox/script-sandbox.ts';
import type { KindActionMapping } from '../kam/kind-action-mapping.ts';
import { mappingSubjectOf } from '../kam/mapping-subject.ts';
import { configMap, InMemoryConfigMaps } from '../../../test/support/kappnav/in-memory-config-maps.ts';
import { shippedDefaults } from '../../../test/support/kappnav/shipped-manifests.ts';
import { actionMapFor, findAction } from './action-map.ts';
import {
  BUILTIN,
  commandJob,
  loyalty,
  object,
  resolverFactory,
  stockTrader,
} from '../../../test/support/kappnav/resolution-fixture.ts';

const defaults = shippedDefaults();
const kams = defaults.kams as KindActionMapping[];
const shipped = new InMemoryConfigMaps([...defaults.configMaps, BUILTIN]);

describe('actionMapFor (kappnav-prism.md §3.4, §3.5)', () => {
  it('merges the test/test-kam maps: map2 (KS) before map1 (K)', () => {
    const owner = { apiVersion: 'kappnav.operator.kappnav.io/v1', kind: 'Kappnav', uid: 'u' };
    const testKams: KindActionMapping[] = [
      {
        metadata: { namespace: 'test', name: 'kam1' },
        spec: {
          precedence: 8,
          mappings: [
            { apiVersion: 'tests/v1', kind: 'Deployment', mapname: 'test.actions.deployment.test1' },
          ],
        },
      },
      {
        metadata: { namespace: 'test', name: 'kam2' },
        spec: {
          precedence: 5,
          mappings: [
            {
              apiVersion: 'tests/v1',
              kind: 'Deployment',
              subkind: 'Liberty',
              owner,
              mapname: '${namespace}.actions.test2',
            },
          ],
        },
      },
    ];
    const action = (name: string) =>
      `[{"name":"${name}","text":"${name} View Detail","open-window":"current","menu-item":"false"}]`;
    const maps = new InMemoryConfigMaps([
      configMap('test', 'test.actions.deployment.test1', { 'url-actions': action('test detail') }),
      configMap('test', 'test.actions.test2', { 'url-actions': action('Test2 detail') }),
    ]);
    const subject = mappingSubjectOf({
      apiVersion: 'tests/v1',
      kind: 'Deployment',
      metadata: {
        namespace: 'test',
        annotations: { 'kappnav.subkind': 'Liberty' },
        ownerReferences: [{ ...owner, name: 'k' }],
      },
    });
    const result = actionMapFor(subject, testKams, maps);
    expect(result.candidates.map((c) => `${c.name}@${c.namespace}`)).toEqual([
      'test.actions.test2@test',
      'test.actions.deployment.test1@test',
    ]);
    expect(result.map['url-actions']!.map((a) => a.name)).toEqual(['Test2 detail', 'test detail']);
  });

  it('gives {} when no map exists', () => {
    const widget = object('example.com/v1', 'Widget', 'ns', 'w');
    expect(actionMapFor(mappingSubjectOf(widget), kams, shipped).map).toEqual({});
  });

  it('finds an action by group and name', () => {
    const { map } = actionMapFor(mappingSubjectOf(commandJob), kams, shipped);
    expect(findAction(map, 'url-actions', 'joblogs')?.text).toBe('View Job Logs');
    expect(findAction(map, 'cmd-actions', 'joblogs')).toBeUndefined();
  });
});

describe('the shipped default action maps (manifests/kappnav/actions-*.yaml)', () => {
  const sandbox = new ScriptSandbox({ workers: 1 });
  afterAll(() => sandbox.close());
  const resolverFor = resolverFactory(sandbox);

  const annotated = {
    ...loyalty,
    metadata: {
      ...loyalty.metadata,
      annotations: Object.fromEntries(
        [
          'image.opencontainers.org/documentation',
          'image.opencontainers.org/source',
          'stack.appsody.dev/documentation',
          'stack.appsody.dev/source',
        ].map((key) => [key, `https://example.com/${key}`]),
      ),
    },
  };
  const resources: [string, KubeObject][] = [
    ['deployment', annotated],
    ['pod', object('v1', 'Pod', 'stock-trader', 'loyalty-1')],
    ['service', { ...object('v1', 'Service', 'stock-trader', 'loyalty'), metadata: annotated.metadata }],
    ['job', commandJob],
    ['application', stockTrader],
  ];

  it.each(resources)('every url-pattern of the %s map resolves fully', async (_, resource) => {
    const { map } = actionMapFor(mappingSubjectOf(resource), kams, shipped);
    expect(map['url-actions']?.length).toBeGreaterThan(0);
    for (const action of map['url-actions'] ?? []) {
      const resolved = await resolverFor(resource, { actionMap: map }).resolver.resolve(
        action['url-pattern'] as string,
      );
      expect(resolved.fullyResolved).toBe(true);
      expect(resolved.value).toMatch(/^https:\/\//);
    }
  });

  it('gives the Application edit action the console kind reference', async () => {
    const { map } = actionMapFor(mappingSubjectOf(stockTrader), kams, shipped);
    const edit = findAction(map, 'url-actions', 'edit')!;
    expect(
      (await resolverFor(stockTrader, { actionMap: map }).resolver.resolve(edit['url-pattern'] as string))
        .value,
    ).toBe('https://admin.example.com/k8s/ns/stock-trader/app.k8s.io~v1beta1~Application/stock-trader/yaml');
  });
});
