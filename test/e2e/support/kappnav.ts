/**
 * What the kAppNav status e2e tests share: kAppNav installed as prismgate ships it, prismgate running
 * the status feature, builders for Applications and workloads, statuses driven the way a cluster drives
 * them, and the status annotations read back as kubectl shows them.
 *
 * There is no kubelet: a Deployment's status is written by the real Deployment and ReplicaSet
 * controllers from its Pods' readiness, which the tests set through the Pods' status subresource. So a
 * Deployment of two replicas is Normal with two ready Pods, Warning with one and Problem with none.
 */
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { KappnavFeature, type KappnavOptions } from '../../../features/kappnav/feature.ts';
import type { Prismgate } from '../../../src/prismgate.ts';
import { PRISMGATE_USER } from '../../control-plane/prismgate-identity.ts';
import { eventually, kubectl, kubectlOk, repoRoot } from './cluster.ts';
import { ensureCrds } from './crds.ts';
import { startPrismgate } from './prismgate.ts';

export const KAPPNAV_NAMESPACE = 'kappnav';
export const REPLICAS = 2;

/** The CRDs, the kappnav namespace and manifests/kappnav (status maps, kappnav-config, the default KAM). */
export async function installKappnav(): Promise<void> {
  await ensureCrds();
  if ((await kubectl(['get', 'namespace', KAPPNAV_NAMESPACE])).code !== 0)
    await kubectl(['create', 'namespace', KAPPNAV_NAMESPACE]);
  await kubectlOk([
    'apply',
    '--server-side',
    '--force-conflicts',
    '-f',
    path.join(repoRoot, 'manifests', 'kappnav'),
  ]);
}

/** Kinds as RBAC names them: an API group and its resources. */
export interface KindGrant {
  apiGroups: string[];
  resources: string[];
}

/**
 * What an operator grants prismgate for component kinds it does not read already (custom kinds, Nodes):
 * reading them (aggregated into prismgate-component-reader) and patching the kAppNav status annotations
 * (aggregated into prismgate-status-writer), as manifests/deploy/rbac.yaml says. Returns the ClusterRoles
 * made, for the file to delete.
 */
export async function grantComponentKinds(name: string, kinds: KindGrant[]): Promise<string[]> {
  const roles = [
    { suffix: 'read', aggregate: 'component-reader', verbs: ['get', 'list', 'watch'] },
    { suffix: 'annotate', aggregate: 'status-writer', verbs: ['patch'] },
  ].map(({ suffix, aggregate, verbs }) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: {
      name: `${name}-${suffix}`,
      labels: { [`prismgate.kappnav.io/aggregate-to-${aggregate}`]: 'true' },
    },
    rules: kinds.map((kind) => ({ ...kind, verbs })),
  }));
  await apply(...roles);
  // kube-controller-manager copies the rules into the aggregated roles.
  const [group = '', resource = ''] = [kinds[0]?.apiGroups[0], kinds[0]?.resources[0]];
  for (const verb of ['list', 'patch'])
    await eventually(`prismgate to be allowed to ${verb} ${resource}`, async () => {
      const answer = await kubectl([
        'auth',
        'can-i',
        verb,
        group ? `${resource}.${group}` : resource,
        '--all-namespaces',
        '--as',
        PRISMGATE_USER,
      ]);
      return answer.stdout.trim() === 'yes';
    });
  return roles.map((role) => role.metadata.name);
}

export interface RunningStatus {
  prismgate: Prismgate;
  feature: KappnavFeature;
}

export async function startStatusFeature(options: KappnavOptions = {}): Promise<RunningStatus> {
  const feature = new KappnavFeature(options);
  const prismgate = await startPrismgate([feature]);
  return { prismgate, feature };
}

/** For the calling test file: kAppNav installed and prismgate running the status feature, stopped after. */
export function withStatusFeature(): () => RunningStatus {
  let running: RunningStatus | undefined;
  beforeAll(async () => {
    await installKappnav();
    running = await startStatusFeature();
  });
  afterAll(() => running?.prismgate.stop());
  return () => running!;
}

export async function apply(...objects: object[]): Promise<void> {
  await kubectlOk(['apply', '-f', '-'], { input: objects });
}

export interface ComponentKind {
  group: string;
  kind: string;
}

export interface ApplicationSpec {
  namespace: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  kinds: ComponentKind[];
  selector: object;
}

export const WORKLOAD_KINDS: ComponentKind[] = [
  { group: 'apps', kind: 'Deployment' },
  { group: 'core', kind: 'Service' },
];

export function application(name: string, spec: ApplicationSpec): object {
  return {
    apiVersion: 'app.k8s.io/v1beta1',
    kind: 'Application',
    metadata: {
      name,
      namespace: spec.namespace,
      labels: spec.labels ?? {},
      ...(spec.annotations ? { annotations: spec.annotations } : {}),
    },
    spec: { componentKinds: spec.kinds, selector: spec.selector },
  };
}

/** A Deployment of two replicas whose Pods carry `pod: <name>`, so its Pods can be found. */
export function deployment(name: string, namespace: string, labels: Record<string, string>): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: {
      replicas: REPLICAS,
      selector: { matchLabels: { pod: name } },
      template: {
        metadata: { labels: { pod: name } },
        spec: { containers: [{ name: 'main', image: 'registry.invalid/none' }] },
      },
    },
  };
}

export function service(name: string, namespace: string, labels: Record<string, string>): object {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, labels },
    spec: { ports: [{ port: 80 }] },
  };
}

export type Health = 'Normal' | 'Warning' | 'Problem';
const READY_PODS: Record<Health, number> = { Normal: 2, Warning: 1, Problem: 0 };

async function podsOf(namespace: string, deploymentName: string): Promise<string[]> {
  return eventually(`the Pods of ${namespace}/${deploymentName}`, async () => {
    const names = (
      await kubectlOk(['get', 'pods', '-n', namespace, '-l', `pod=${deploymentName}`, '-o', 'name'])
    )
      .split('\n')
      .filter(Boolean)
      .sort();
    return names.length === REPLICAS ? names : undefined;
  });
}

/** Makes the Deployment's Pods ready or not, so that its controllers report `health`. */
export async function setHealth(namespace: string, deploymentName: string, health: Health): Promise<void> {
  const pods = await podsOf(namespace, deploymentName);
  await Promise.all(
    pods.map((pod, index) => {
      const ready = index < READY_PODS[health] ? 'True' : 'False';
      const status = {
        phase: ready === 'True' ? 'Running' : 'Pending',
        conditions: [{ type: 'Ready', status: ready, lastTransitionTime: new Date().toISOString() }],
      };
      return kubectlOk([
        'patch',
        pod,
        '-n',
        namespace,
        '--subresource=status',
        '--type=merge',
        '-p',
        JSON.stringify({ status }),
      ]);
    }),
  );
}

export interface StoredStatus {
  value?: string;
  flyover?: string;
  nls?: string;
}

/** The kAppNav status annotations of an object, as `kubectl get -o json` shows them. */
export async function storedStatus(resource: string, namespace: string | undefined, name: string) {
  const args = ['get', resource, name, '-o', 'json', ...(namespace ? ['-n', namespace] : [])];
  const annotations: Record<string, string> = JSON.parse(await kubectlOk(args)).metadata.annotations ?? {};
  const stored: StoredStatus = {};
  if (annotations['kappnav.status.value'] !== undefined) stored.value = annotations['kappnav.status.value'];
  if (annotations['kappnav.status.flyover'] !== undefined)
    stored.flyover = annotations['kappnav.status.flyover'];
  if (annotations['kappnav.status.flyover.nls'] !== undefined)
    stored.nls = annotations['kappnav.status.flyover.nls'];
  return stored;
}

/** Waits until the object's `kappnav.status.value` is `value` (undefined: carries none) and returns its status. */
export async function expectValue(
  resource: string,
  namespace: string | undefined,
  name: string,
  value: string | undefined,
  timeoutMs = 20_000,
): Promise<StoredStatus> {
  let last: StoredStatus = {};
  try {
    return await eventually(
      `${resource} ${namespace ?? ''}/${name} to show kappnav.status.value ${value}`,
      async () => {
        last = await storedStatus(resource, namespace, name);
        return last.value === value ? last : undefined;
      },
      timeoutMs,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; last seen ${JSON.stringify(last)}`);
  }
}

/** Waits until every application named shows its value. */
export async function expectApplications(namespace: string, expected: Record<string, string>): Promise<void> {
  await Promise.all(
    Object.entries(expected).map(([name, value]) => expectValue('applications', namespace, name, value)),
  );
}
