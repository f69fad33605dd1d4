import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { MemoryCluster } from '../../../test/support/kappnav/memory-cluster.ts';
import { DesignNameStatusMapLocator, FirstFoundStatusMapLocator } from './status-map-locator.ts';
import {
  deployment,
  service,
  shippedStatusMaps,
  TEST_TYPES,
} from '../../../test/support/kappnav/status-fixtures.ts';

const maps = new MemoryCluster(TEST_TYPES, shippedStatusMaps());
const design = new DesignNameStatusMapLocator(maps);
const nameOf = (object: KubeObject | undefined) => object?.metadata?.name;

describe('status map locators', () => {
  it('design names: the kind map, else the unregistered one', () => {
    expect(nameOf(design.locate(deployment('d', 'Normal')))).toBe('kappnav.status-mapping.deployment');
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
    expect(nameOf(chain.locate(deployment('d', 'Normal')))).toBe('kappnav.status-mapping.deployment');
    expect(new FirstFoundStatusMapLocator([]).locate(service('s'))).toBeUndefined();
  });
});
