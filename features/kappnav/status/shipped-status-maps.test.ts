import { afterAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { ScriptSandbox } from '../../../pkg/sandbox/script-sandbox.ts';
import { DEFAULT_KAPPNAV_CONFIG, readKappnavConfig } from '../model/config.ts';
import { MemoryCluster } from '../../../test/support/kappnav/memory-cluster.ts';
import { ComponentStatusEngine } from './component-status.ts';
import type { KappnavStatus } from './kappnav-status.ts';
import { DesignNameStatusMapLocator } from '../kam/status-map-locator.ts';
import { readStatusMap } from './status-map.ts';
import { shippedStatusMaps, TEST_TYPES } from '../../../test/support/kappnav/status-fixtures.ts';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const sandbox = new ScriptSandbox({ workers: 2 });
afterAll(() => sandbox.close());

const maps = shippedStatusMaps();
const engine = new ComponentStatusEngine(
  new DesignNameStatusMapLocator(new MemoryCluster(TEST_TYPES, maps)),
  {
    sandbox,
    config: DEFAULT_KAPPNAV_CONFIG,
  },
);

function object(apiVersion: string, kind: string, status?: unknown): KubeObject {
  return {
    apiVersion,
    kind,
    metadata: { name: 'x', namespace: 'default' },
    ...(status === undefined ? {} : { status }),
  };
}

async function statusOf(resource: KubeObject): Promise<KappnavStatus> {
  const outcome = await engine.statusOf(resource);
  expect(outcome.problem).toBeUndefined();
  return outcome.status;
}

describe('manifests/kappnav/status-maps.yaml', () => {
  it('ships one valid map per kind, in the kappnav namespace, labelled as status maps', () => {
    expect(maps.map((m) => m.metadata?.name)).toEqual([
      'kappnav.status-mapping.deployment',
      'kappnav.status-mapping.statefulset',
      'kappnav.status-mapping.pod',
      'kappnav.status-mapping.service',
      'kappnav.status-mapping.ingress',
      'kappnav.status-mapping.job',
      'kappnav.status-mapping-unregistered',
    ]);
    for (const map of maps) {
      expect(map.metadata).toMatchObject({
        namespace: 'kappnav',
        labels: { 'kappnav.io/map-type': 'status' },
      });
      expect(readStatusMap(map)).toHaveProperty('map');
    }
  });

  describe('Deployment', () => {
    const deployment = (status?: unknown) => object('apps/v1', 'Deployment', status);

    it.each<[unknown, KappnavStatus]>([
      [
        { replicas: 2, availableReplicas: 2 },
        {
          value: 'Normal',
          flyover: 'Desired: 2, Available: 2',
          'flyover.nls': ['status.flyover.deployment', '2', '2'],
        },
      ],
      [
        { replicas: 3, availableReplicas: 1 },
        {
          value: 'Warning',
          flyover: 'Desired: 3, Available: 1',
          'flyover.nls': ['status.flyover.deployment', '3', '1'],
        },
      ],
      [
        { replicas: 2, unavailableReplicas: 2 },
        {
          value: 'Problem',
          flyover: 'Desired: 2, Available: 0',
          'flyover.nls': ['status.flyover.deployment', '2', '0'],
        },
      ],
      [
        {},
        {
          value: 'Normal',
          flyover: 'Desired: 0, Available: 0',
          'flyover.nls': ['status.flyover.deployment', '0', '0'],
        },
      ],
    ])('%j', async (status, expected) => {
      expect(await statusOf(deployment(status))).toEqual(expected);
    });

    it('is Unknown before the controller reports a status', async () => {
      expect(await statusOf(deployment())).toEqual({
        value: 'Unknown',
        flyover: 'The deployment reports no status yet.',
      });
    });
  });

  describe('StatefulSet (ready replicas)', () => {
    const statefulSet = (status: unknown) => object('apps/v1', 'StatefulSet', status);

    it.each<[unknown, string, string]>([
      [{ replicas: 3, readyReplicas: 3, availableReplicas: 0 }, 'Normal', 'Desired: 3, Available: 3'],
      [{ replicas: 3, readyReplicas: 2 }, 'Warning', 'Desired: 3, Available: 2'],
      [{ replicas: 3, availableReplicas: 3 }, 'Problem', 'Desired: 3, Available: 0'],
    ])('%j → %s', async (status, value, flyover) => {
      expect(await statusOf(statefulSet(status))).toMatchObject({ value, flyover });
    });
  });

  describe('Pod (status.phase, keys as Kubernetes writes them)', () => {
    it.each([
      ['Running', 'Normal'],
      ['Succeeded', 'Normal'],
      ['Pending', 'Warning'],
      ['Unknown', 'Unknown'],
      ['Failed', 'Problem'],
    ])('%s → %s', async (phase, value) => {
      expect(await statusOf(object('v1', 'Pod', { phase }))).toEqual({
        value,
        flyover: `Status returned by platform: ${phase}`,
        'flyover.nls': ['status.flyover.pod', phase],
      });
    });

    it('maps other phases to Unknown, and a pod without status too', async () => {
      expect(await statusOf(object('v1', 'Pod', { phase: 'running' }))).toEqual({
        value: 'Unknown',
        flyover: 'running is not a known status.phase value',
      });
      expect(await statusOf(object('v1', 'Pod'))).toEqual({
        value: 'Unknown',
        flyover: 'Pod reports no status yet.',
      });
    });
  });

  it('Service and Ingress are Normal when they exist', async () => {
    expect(await statusOf(object('v1', 'Service', { loadBalancer: {} }))).toEqual({
      value: 'Normal',
      flyover: 'Service exists.',
      'flyover.nls': ['status.flyover.service'],
    });
    expect(await statusOf(object('networking.k8s.io/v1', 'Ingress'))).toEqual({
      value: 'Normal',
      flyover: 'Ingress exists.',
    });
  });

  describe('Job', () => {
    const job = (status?: unknown) => object('batch/v1', 'Job', status);
    const condition = (type: string, status = 'True') => ({ type, status });

    it.each<[string, unknown, string, string]>([
      [
        'complete',
        { succeeded: 1, conditions: [condition('Complete')] },
        'Normal',
        'Complete. Active: 0, Succeeded: 1, Failed: 0',
      ],
      [
        'failed',
        { failed: 6, conditions: [condition('Failed')] },
        'Problem',
        'Failed. Active: 0, Succeeded: 0, Failed: 6',
      ],
      ['running', { active: 2 }, 'Normal', 'Running. Active: 2, Succeeded: 0, Failed: 0'],
      [
        'retrying',
        { active: 1, failed: 1 },
        'Warning',
        'Retrying after failures. Active: 1, Succeeded: 0, Failed: 1',
      ],
      [
        'suspended',
        { conditions: [condition('Suspended')] },
        'Warning',
        'Suspended. Active: 0, Succeeded: 0, Failed: 0',
      ],
      ['starting', {}, 'Normal', 'Starting. Active: 0, Succeeded: 0, Failed: 0'],
      [
        'a false condition does not count',
        { active: 1, conditions: [condition('Failed', 'False')] },
        'Normal',
        'Running. Active: 1, Succeeded: 0, Failed: 0',
      ],
    ])('%s', async (_name, status, value, flyover) => {
      expect(await statusOf(job(status))).toEqual({ value, flyover });
    });

    it('is Unknown before the controller reports a status', async () => {
      expect((await statusOf(job())).value).toBe('Unknown');
    });
  });

  it('gives any other kind the unregistered map', async () => {
    expect(await statusOf(object('example.com/v1', 'Widget', { anything: true }))).toEqual({
      value: 'Normal',
      flyover: 'Resource kind without status mapping',
      'flyover.nls': ['status.flyover.unregistered'],
    });
  });
});

describe('manifests/kappnav/kappnav-config.yaml', () => {
  it('holds exactly the documented defaults', () => {
    const text = readFileSync(
      new URL('../../../manifests/kappnav/kappnav-config.yaml', import.meta.url),
      'utf8',
    );
    const configMap = parse(text) as {
      metadata: { name: string; namespace: string };
      data: Record<string, string>;
    };
    expect(configMap.metadata).toEqual({ name: 'kappnav-config', namespace: 'kappnav' });
    expect(readKappnavConfig(configMap.data)).toEqual({ config: DEFAULT_KAPPNAV_CONFIG, problems: [] });
  });
});
