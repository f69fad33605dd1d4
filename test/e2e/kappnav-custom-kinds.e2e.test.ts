/**
 * Custom-resource components and bad input (kappnav-prism.md §7.1 TestCRDFoo; issue 5 "Bad input"), on
 * the real control plane: a custom kind's status drives its application; deleting the custom resource,
 * then its CRD, and adding both again is followed; broken status maps, a missing `status`, a kind the
 * cluster does not serve and a script that throws or loops each give Unknown with a flyover that says why,
 * are logged once, and stop nothing else.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KappnavFeature } from '../../features/kappnav/feature.ts';
import type { Prismgate } from '../../src/prismgate.ts';
import { freshNamespace, kubectl, kubectlOk } from './support/cluster.ts';
import {
  application,
  apply,
  deployment,
  expectValue,
  grantComponentKinds,
  installKappnav,
  KAPPNAV_NAMESPACE,
  setHealth,
  storedStatus,
  WORKLOAD_KINDS,
} from './support/kappnav.ts';
import { startPrismgate } from './support/prismgate.ts';

const GROUP = 'e2e-kappnav.example.com';

function crd(kind: string): object {
  const plural = `${kind.toLowerCase()}s`;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${GROUP}` },
    spec: {
      group: GROUP,
      scope: 'Namespaced',
      names: { kind, plural, singular: kind.toLowerCase() },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        },
      ],
    },
  };
}

function statusMap(kind: string, data: Record<string, string>): object {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `kappnav.status-mapping.${kind.toLowerCase()}`, namespace: KAPPNAV_NAMESPACE },
    data,
  };
}

/** `status.health` is the kAppNav value, as written. */
const HEALTH_MAP = {
  jsonpath: JSON.stringify({
    expression: '.health',
    matches: Object.fromEntries(
      ['Normal', 'Warning', 'Problem'].map((v) => [v, { value: v, flyover: 'Health: ${status}' }]),
    ),
    else: { value: 'Unknown', flyover: 'Health ${status} is not known' },
  }),
};

async function installCrd(kind: string): Promise<void> {
  await apply(crd(kind));
  await kubectlOk([
    'wait',
    '--for=condition=Established',
    '--timeout=60s',
    `crd/${kind.toLowerCase()}s.${GROUP}`,
  ]);
}

function resource(kind: string, name: string, ns: string, labels: Record<string, string>): object {
  return { apiVersion: `${GROUP}/v1`, kind, metadata: { name, namespace: ns, labels } };
}

async function setCustomHealth(kind: string, ns: string, name: string, health: string): Promise<void> {
  await kubectlOk([
    'patch',
    `${kind.toLowerCase()}s.${GROUP}`,
    name,
    '-n',
    ns,
    '--subresource=status',
    '--type=merge',
    '-p',
    JSON.stringify({ status: { health } }),
  ]);
}

const logLines: string[] = [];
let prismgate: Prismgate;
let grantedRoles: string[] = [];

beforeAll(async () => {
  await installKappnav();
  await Promise.all([installCrd('Foo'), installCrd('Bar')]);
  grantedRoles = await grantComponentKinds('e2e-kappnav-custom-kinds', [
    { apiGroups: [GROUP], resources: ['foos', 'bars'] },
  ]);
  await apply(statusMap('Foo', HEALTH_MAP), statusMap('Bar', HEALTH_MAP));
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  prismgate = await startPrismgate([new KappnavFeature()], { log: pino({ level: 'warn' }, sink) });
});

afterAll(async () => {
  await prismgate?.stop();
  // Cluster-wide objects of this file, so later files start from the shared baseline.
  await kubectl(['delete', 'crd', `foos.${GROUP}`, `bars.${GROUP}`, '--ignore-not-found']);
  await kubectl(['delete', 'clusterrole', ...grantedRoles, '--ignore-not-found']);
  await kubectl([
    'delete',
    'configmap',
    '-n',
    KAPPNAV_NAMESPACE,
    'kappnav.status-mapping.foo',
    'kappnav.status-mapping.bar',
    '--ignore-not-found',
  ]);
});

describe('TestCRDFoo: a custom-resource kind', () => {
  let ns: string;
  beforeAll(async () => {
    ns = await freshNamespace('kstatus-crd');
    await apply(
      application('foo-app', {
        namespace: ns,
        kinds: [{ group: GROUP, kind: 'Foo' }],
        selector: { matchLabels: { app: 'foo' } },
      }),
      resource('Foo', 'example-foo', ns, { app: 'foo' }),
    );
  });

  it('is Unknown until the resource reports a status, then follows it', async () => {
    const before = await expectValue(`foos.${GROUP}`, ns, 'example-foo', 'Unknown');
    expect(before.flyover).toBe('Foo reports no status yet.');
    await setCustomHealth('Foo', ns, 'example-foo', 'Warning');
    await expectValue(`foos.${GROUP}`, ns, 'example-foo', 'Warning');
    await expectValue('applications', ns, 'foo-app', 'Warning');
    await setCustomHealth('Foo', ns, 'example-foo', 'Normal');
    await expectValue('applications', ns, 'foo-app', 'Normal');
  });

  it('makes the application Unknown when the resource is deleted, and follows the CRD being deleted and added again', async () => {
    await kubectlOk(['delete', `foos.${GROUP}`, 'example-foo', '-n', ns]);
    expect((await expectValue('applications', ns, 'foo-app', 'Unknown')).flyover).toBe(
      'No components match the selector.',
    );
    await kubectlOk(['delete', 'crd', `foos.${GROUP}`]);
    const gone = await expectValue('applications', ns, 'foo-app', 'Unknown');
    await expect
      .poll(async () => (await storedStatus('applications', ns, 'foo-app')).flyover, { timeout: 20_000 })
      .toBe(`No components: componentKinds[0] ${GROUP}/Foo is not served by the cluster; it is ignored.`);
    expect(gone.value).toBe('Unknown');

    await installCrd('Foo');
    await apply(resource('Foo', 'example-foo', ns, { app: 'foo' }));
    await setCustomHealth('Foo', ns, 'example-foo', 'Problem');
    await expectValue('applications', ns, 'foo-app', 'Problem', 30_000);
  });
});

describe('bad input gives Unknown with a reason, logged once, and stops nothing else', () => {
  let ns: string;
  beforeAll(async () => {
    ns = await freshNamespace('kstatus-bad');
    await apply(
      application('bar-app', {
        namespace: ns,
        kinds: [{ group: GROUP, kind: 'Bar' }],
        selector: { matchLabels: { app: 'bar' } },
      }),
      resource('Bar', 'example-bar', ns, { app: 'bar' }),
      application('web-app', {
        namespace: ns,
        kinds: WORKLOAD_KINDS,
        selector: { matchLabels: { app: 'web' } },
      }),
      deployment('web', ns, { app: 'web' }),
    );
    await setCustomHealth('Bar', ns, 'example-bar', 'Normal');
    await setHealth(ns, 'web', 'Normal');
    await expectValue('applications', ns, 'bar-app', 'Normal');
    await expectValue('applications', ns, 'web-app', 'Normal');
  });

  /** Waits until the Bar's flyover includes `flyover`, then expects Unknown there and on its application. */
  const barFlyover = async (flyover: string) => {
    await expect
      .poll(async () => (await storedStatus(`bars.${GROUP}`, ns, 'example-bar')).flyover, { timeout: 20_000 })
      .toContain(flyover);
    expect((await storedStatus(`bars.${GROUP}`, ns, 'example-bar')).value).toBe('Unknown');
    await expectValue('applications', ns, 'bar-app', 'Unknown');
  };
  const source = `${KAPPNAV_NAMESPACE}/kappnav.status-mapping.bar`;

  const brokenMaps: { what: string; data: Record<string, string>; flyover: string }[] = [
    {
      what: 'broken JSON',
      data: { jsonpath: '{ "expression": ".health", ' },
      flyover: `The status mapping ${source} has invalid JSON in jsonpath`,
    },
    {
      what: 'an unknown key',
      data: { ...HEALTH_MAP, expressions: '.health' },
      flyover: `The status mapping ${source} has the unknown key "expressions" (expected exists, jsonpath or algorithm).`,
    },
    {
      what: "the design's {.x} path",
      data: { jsonpath: JSON.stringify({ expression: '{.health}', matches: {} }) },
      flyover: `The status mapping ${source} has the unsupported jsonpath expression "{.health}"; the design's {.x} form is not supported, write ".health".`,
    },
    {
      what: 'a script that throws',
      data: { algorithm: 'function getStatus(s) { throw new Error("no health here"); }' },
      flyover: `The status mapping ${source} failed in its algorithm: no health here.`,
    },
  ];
  it.each(brokenMaps)('a status map with $what', async ({ data, flyover }) => {
    await apply(statusMap('Bar', data));
    await barFlyover(flyover);
  });

  it('a script that loops: Unknown after its time budget, while other statuses keep moving', async () => {
    await apply(statusMap('Bar', { algorithm: 'function getStatus(s) { for (;;) {} }' }));
    await barFlyover(`The status mapping ${source} failed in its algorithm: timed out after 500 ms.`);
    await setHealth(ns, 'web', 'Problem');
    await expectValue('applications', ns, 'web-app', 'Problem');
    await setCustomHealth('Bar', ns, 'example-bar', 'Warning');
    await setHealth(ns, 'web', 'Normal');
    await expectValue('applications', ns, 'web-app', 'Normal');
    // Two inputs ran into the budget (the Normal and the Warning status), one problem logged.
    expect(logLines.filter((line) => line.includes('failed in its algorithm: timed out'))).toHaveLength(1);
  });

  it('a componentKind the cluster does not serve, and a selector that selects nothing', async () => {
    await apply(
      application('nothing-app', {
        namespace: ns,
        kinds: [{ group: 'example.invalid', kind: 'Nothing' }],
        selector: { matchLabels: { app: 'bar' } },
      }),
      application('empty-app', {
        namespace: ns,
        kinds: WORKLOAD_KINDS,
        selector: { matchLabels: { app: 'none' } },
      }),
    );
    expect((await expectValue('applications', ns, 'nothing-app', 'Unknown')).flyover).toBe(
      'No components: componentKinds[0] example.invalid/Nothing is not served by the cluster; it is ignored.',
    );
    expect((await expectValue('applications', ns, 'empty-app', 'Unknown')).flyover).toBe(
      'No components match the selector.',
    );
    const problem = `application ${ns}/nothing-app: componentKinds[0] example.invalid/Nothing is not served`;
    await setHealth(ns, 'web', 'Warning');
    await expectValue('applications', ns, 'web-app', 'Warning');
    expect(logLines.filter((line) => line.includes(problem))).toHaveLength(1);
  });
});
