/**
 * Where status goes (kappnav-prism.md §2.4, §7.1 TestNamespace1..4, TestComponentNamespaces,
 * TestNoNamespaceResource), on the real control plane: the namespace matrix with and without the
 * `app-namespaces` frontier of kappnav-config, `kappnav.component.namespaces` added later, and a
 * cluster-scoped component.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { APPLICATION_TYPE } from '../../features/kappnav/model/application.ts';
import { eventually, freshNamespace, kubectl, kubectlOk } from './support/cluster.ts';
import {
  application,
  apply,
  expectValue,
  grantComponentKinds,
  KAPPNAV_NAMESPACE,
  service,
  storedStatus,
  withStatusFeature,
} from './support/kappnav.ts';

const COMPONENT_NAMESPACES = 'kappnav.component.namespaces';
const SERVICE_KIND = [{ group: 'core', kind: 'Service' }];
const NODE_NAME = 'kappnav-e2e-node';

const statusFeature = withStatusFeature();
let grantedRoles: string[] = [];

afterAll(async () => {
  // Cluster-wide state of this file: the frontier, the Node, its status map, prismgate's grant on Nodes.
  await setFrontier('');
  await kubectl(['delete', 'node', NODE_NAME, '--ignore-not-found']);
  await kubectl(['delete', 'clusterrole', ...grantedRoles, '--ignore-not-found']);
  await kubectl([
    'delete',
    'configmap',
    '-n',
    KAPPNAV_NAMESPACE,
    'kappnav.status-mapping.node',
    '--ignore-not-found',
  ]);
});

async function setFrontier(namespaces: string): Promise<void> {
  await kubectlOk([
    'patch',
    'configmap',
    'kappnav-config',
    '-n',
    KAPPNAV_NAMESPACE,
    '--type=merge',
    '-p',
    JSON.stringify({ data: { 'app-namespaces': namespaces } }),
  ]);
}

/**
 * Sets the frontier and waits until prismgate works with it: an application in `outside` gets no status
 * from the lifecycle API once prismgate has read the new kappnav-config (and one while it is permitted).
 */
async function useFrontier(namespaces: string[]): Promise<void> {
  await setFrontier(namespaces.join(', '));
  const probe = await freshNamespace('kns-probe');
  await apply(
    application('probe', { namespace: probe, kinds: SERVICE_KIND, selector: { matchLabels: { a: 'b' } } }),
  );
  const subject = { type: APPLICATION_TYPE, namespace: probe, name: 'probe' };
  await eventually(`the frontier ${namespaces.join(', ')} to apply`, async () => {
    const { status } = await statusFeature().feature.runtime.lifecycle.recompute(subject);
    return (namespaces.length === 0) === (status !== undefined);
  });
}

/** Four namespaces, each with a Service `svc` labelled for the matrix application. */
async function matrixNamespaces(): Promise<string[]> {
  const namespaces = await Promise.all([1, 2, 3, 4].map((n) => freshNamespace(`kns${n}`)));
  await apply(...namespaces.map((ns) => service('svc', ns, { matrix: 'member' })));
  return namespaces;
}

function matrixApplication(namespace: string, componentNamespaces?: string[]): object {
  return application('matrix-app', {
    namespace,
    ...(componentNamespaces
      ? { annotations: { [COMPONENT_NAMESPACES]: componentNamespaces.join(', ') } }
      : {}),
    kinds: SERVICE_KIND,
    selector: { matchLabels: { matrix: 'member' } },
  });
}

async function serviceValues(namespaces: string[]): Promise<(string | undefined)[]> {
  return Promise.all(namespaces.map(async (ns) => (await storedStatus('services', ns, 'svc')).value));
}

describe('the namespace matrix', () => {
  it('with app-namespaces ns1, ns2 and the application in ns4: nothing gets status', async () => {
    const [ns1, ns2, ns3, ns4] = await matrixNamespaces();
    await useFrontier([ns1!, ns2!]);
    await apply(matrixApplication(ns4!));
    const subject = { type: APPLICATION_TYPE, namespace: ns4!, name: 'matrix-app' };
    expect(await statusFeature().feature.runtime.lifecycle.recompute(subject)).toEqual({
      status: undefined,
      stored: [],
    });
    await statusFeature().feature.idle();
    expect(await storedStatus('applications', ns4, 'matrix-app')).toEqual({});
    expect(await serviceValues([ns1!, ns2!, ns3!, ns4!])).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('with app-namespaces ns1, ns2 and the application in ns1 naming ns2, ns3: ns1 and ns2 get status', async () => {
    const [ns1, ns2, ns3, ns4] = await matrixNamespaces();
    await useFrontier([ns1!, ns2!]);
    await apply(matrixApplication(ns1!, [ns2!, ns3!]));
    expect((await expectValue('applications', ns1, 'matrix-app', 'Normal')).flyover).toBe(
      '2 components: 2 Normal',
    );
    await expectValue('services', ns2, 'svc', 'Normal');
    expect(await serviceValues([ns1!, ns2!, ns3!, ns4!])).toEqual(['Normal', 'Normal', undefined, undefined]);
  });

  it('without app-namespaces and the application in ns4: only ns4 gets status', async () => {
    const [ns1, ns2, ns3, ns4] = await matrixNamespaces();
    await useFrontier([]);
    await apply(matrixApplication(ns4!));
    expect((await expectValue('applications', ns4, 'matrix-app', 'Normal')).flyover).toBe(
      '1 component: 1 Normal',
    );
    await expectValue('services', ns4, 'svc', 'Normal');
    expect(await serviceValues([ns1!, ns2!, ns3!, ns4!])).toEqual([
      undefined,
      undefined,
      undefined,
      'Normal',
    ]);
  });

  it('without app-namespaces and the application in ns1 naming ns2, ns3: ns1, ns2 and ns3 get status', async () => {
    const [ns1, ns2, ns3, ns4] = await matrixNamespaces();
    await useFrontier([]);
    await apply(matrixApplication(ns1!, [ns2!, ns3!]));
    expect((await expectValue('applications', ns1, 'matrix-app', 'Normal')).flyover).toBe(
      '3 components: 3 Normal',
    );
    await expectValue('services', ns3, 'svc', 'Normal');
    expect(await serviceValues([ns1!, ns2!, ns3!, ns4!])).toEqual(['Normal', 'Normal', 'Normal', undefined]);
  });

  it('TestComponentNamespaces: naming a namespace later pulls its resources in', async () => {
    const [ns1, ns2] = await matrixNamespaces();
    await useFrontier([]);
    await apply(matrixApplication(ns1!));
    expect((await expectValue('applications', ns1, 'matrix-app', 'Normal')).flyover).toBe(
      '1 component: 1 Normal',
    );
    expect((await storedStatus('services', ns2, 'svc')).value).toBeUndefined();
    await kubectlOk(['annotate', 'application', 'matrix-app', '-n', ns1!, `${COMPONENT_NAMESPACES}=${ns2}`]);
    await expectValue('services', ns2, 'svc', 'Normal');
    await eventually('the application to count both', async () =>
      (await storedStatus('applications', ns1, 'matrix-app')).flyover === '2 components: 2 Normal'
        ? true
        : undefined,
    );
  });
});

describe('TestNoNamespaceResource: a cluster-scoped component', () => {
  const readyCondition = (ready: 'True' | 'False') => ({
    type: 'Ready',
    status: ready,
    reason: 'E2E',
    message: 'set by the e2e test',
    lastHeartbeatTime: new Date().toISOString(),
    lastTransitionTime: new Date().toISOString(),
  });
  const setReady = (ready: 'True' | 'False') =>
    kubectlOk([
      'patch',
      'node',
      NODE_NAME,
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({ status: { conditions: [readyCondition(ready)] } }),
    ]);

  it('is in scope for an application in any namespace, and its status propagates', async () => {
    // Nodes are not among what prismgate reads and annotates by default: an operator grants them.
    grantedRoles = await grantComponentKinds('e2e-kappnav-nodes', [
      { apiGroups: [''], resources: ['nodes'] },
    ]);
    await useFrontier([]);
    await apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kappnav.status-mapping.node', namespace: KAPPNAV_NAMESPACE },
      data: {
        algorithm: `function getStatus(s) {
          var ready = ((s ? JSON.parse(s) : {}).conditions || []).filter(function (c) { return c.type === 'Ready'; })[0];
          var state = ready ? ready.status : 'Unknown';
          return { value: state === 'True' ? 'Normal' : state === 'False' ? 'Problem' : 'Unknown', flyover: 'Ready: ' + state };
        }`,
      },
    });
    const ns = await freshNamespace('kns-node');
    await apply(
      { apiVersion: 'v1', kind: 'Node', metadata: { name: NODE_NAME, labels: { 'kappnav-e2e': 'node' } } },
      application('nons-app', {
        namespace: ns,
        kinds: [{ group: 'node', kind: 'Node' }],
        selector: { matchLabels: { 'kappnav-e2e': 'node' } },
      }),
    );
    await setReady('True');
    await expectValue('nodes', undefined, NODE_NAME, 'Normal');
    await expectValue('applications', ns, 'nons-app', 'Normal');
    await setReady('False');
    expect((await expectValue('nodes', undefined, NODE_NAME, 'Problem')).flyover).toBe('Ready: False');
    await expectValue('applications', ns, 'nons-app', 'Problem');
  });
});
