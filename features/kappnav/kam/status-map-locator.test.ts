import { describe, expect, it } from 'vitest';
import type { KindActionMapping } from './kind-action-mapping.ts';
import { mappingSubjectOf } from './mapping-subject.ts';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import {
  DesignNameStatusMapLocator,
  FirstFoundStatusMapLocator,
  KindActionMappingStatusMapLocator,
  locateStatusMap,
} from './status-map-locator.ts';
import { MemoryCluster } from '../../../test/support/kappnav/memory-cluster.ts';
import {
  deployment as deploymentObject,
  service,
  shippedStatusMaps,
  TEST_TYPES,
} from '../../../test/support/kappnav/status-fixtures.ts';
import { configMap, InMemoryConfigMaps } from '../../../test/support/kappnav/in-memory-config-maps.ts';
import { loadManifests } from '../../../test/support/kappnav/shipped-manifests.ts';

const defaultKam = loadManifests('kam-default.yaml') as KindActionMapping[];
const specific: KindActionMapping = {
  metadata: { namespace: 'team', name: 'team' },
  spec: {
    precedence: 3,
    statusMappings: [
      { apiVersion: 'apps/v1', kind: 'Deployment', subkind: '*', mapname: 'team.status.${kind}-${subkind}' },
    ],
  },
};
const deployment = mappingSubjectOf({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { namespace: 'shop', name: 'web', annotations: { 'kappnav.subkind': 'Liberty' } },
});

describe('locateStatusMap (kappnav-prism.md §3.5, §4.2)', () => {
  it('takes only the first status map found, most specific first', () => {
    const maps = new InMemoryConfigMaps([
      configMap('team', 'team.status.deployment-liberty', { exists: '{ value: Normal }' }),
      configMap('kappnav', 'kappnav.status-mapping.deployment', { algorithm: 'function getStatus() {}' }),
    ]);
    const location = locateStatusMap(deployment, [...defaultKam, specific], maps);
    expect(location.found?.name).toBe('team.status.deployment-liberty');
    expect(location.candidates.map((c) => c.name)).toEqual([
      'team.status.deployment-liberty',
      'kappnav.status-mapping.deployment',
    ]);
  });

  it('falls back to kappnav.status-mapping-unregistered in the namespaces of the candidates', () => {
    const unregistered = configMap('kappnav', 'kappnav.status-mapping-unregistered', { exists: '{}' });
    const location = locateStatusMap(
      deployment,
      [...defaultKam, specific],
      new InMemoryConfigMaps([unregistered]),
    );
    expect(location.found).toEqual({
      name: 'kappnav.status-mapping-unregistered',
      namespace: 'kappnav',
      configMap: unregistered,
    });
    expect(location.candidates.map((c) => `${c.name}@${c.namespace}`)).toEqual([
      'kappnav.status-mapping-unregistered@team',
      'kappnav.status-mapping-unregistered@kappnav',
    ]);
  });

  it('finds nothing without KindActionMappings or maps', () => {
    expect(locateStatusMap(deployment, [], new InMemoryConfigMaps()).found).toBeUndefined();
    expect(locateStatusMap(deployment, defaultKam, new InMemoryConfigMaps()).found).toBeUndefined();
  });
});

describe('KindActionMappingStatusMapLocator', () => {
  it('locates the status map of a resource through the current KindActionMappings', () => {
    const map = configMap('kappnav', 'kappnav.status-mapping.pod', { jsonpath: '{ expression: $.phase }' });
    let kams: KindActionMapping[] = [];
    const locator = new KindActionMappingStatusMapLocator(() => kams, new InMemoryConfigMaps([map]));
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'shop', name: 'p' } };
    expect(locator.locate(pod)).toBeUndefined();
    kams = defaultKam;
    expect(locator.locate(pod)).toBe(map);
  });
});

const maps = new MemoryCluster(TEST_TYPES, shippedStatusMaps());
const design = new DesignNameStatusMapLocator(maps);
const nameOf = (object: KubeObject | undefined) => object?.metadata?.name;

describe('status map locators', () => {
  it('design names: the kind map, else the unregistered one', () => {
    expect(nameOf(design.locate(deploymentObject('d', 'Normal')))).toBe('kappnav.status-mapping.deployment');
    expect(nameOf(design.locate({ apiVersion: 'x/v1', kind: 'Widget' }))).toBe(
      'kappnav.status-mapping-unregistered',
    );
  });

  it('a chain answers with the first locator that finds a map', () => {
    const onlyServices = {
      locate: (r: KubeObject) =>
        r.kind === 'Service'
          ? (maps.getConfigMap('kappnav', 'x') ?? { metadata: { name: 'special' } })
          : undefined,
    };
    const chain = new FirstFoundStatusMapLocator([onlyServices, design]);
    expect(nameOf(chain.locate(service('s')))).toBe('special');
    expect(nameOf(chain.locate(deploymentObject('d', 'Normal')))).toBe('kappnav.status-mapping.deployment');
    expect(new FirstFoundStatusMapLocator([]).locate(service('s'))).toBeUndefined();
  });
});
