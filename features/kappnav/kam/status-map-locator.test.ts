import { describe, expect, it } from 'vitest';
import type { KindActionMapping } from './kind-action-mapping.ts';
import { mappingSubjectOf } from './mapping-subject.ts';
import { KindActionMappingStatusMapLocator, locateStatusMap } from './status-map-locator.ts';
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
