/**
 * Building blocks of the status tests: the types a test cluster serves, the status mappings prismgate
 * ships (read from manifests/kappnav/status-maps.yaml, so the tests exercise the real files) and terse
 * builders for Applications and their components.
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { ResourceType } from '../../../pkg/kube/resource-type.ts';
import { CORE_TYPES } from '../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../pkg/kube/types.ts';

export const TEST_TYPES: readonly ResourceType[] = [
  CORE_TYPES.applications,
  CORE_TYPES.services,
  CORE_TYPES.deployments,
  CORE_TYPES.pods,
  CORE_TYPES.jobs,
  CORE_TYPES.configMaps,
  { group: 'apps', version: 'v1', resource: 'statefulsets', kind: 'StatefulSet', namespaced: true },
  { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses', kind: 'Ingress', namespaced: true },
  {
    group: 'networking.k8s.io',
    version: 'v1',
    resource: 'networkpolicies',
    kind: 'NetworkPolicy',
    namespaced: true,
  },
  { group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false },
];

export function shippedStatusMaps(): KubeObject[] {
  const text = readFileSync(new URL('../../../manifests/kappnav/status-maps.yaml', import.meta.url), 'utf8');
  return parseAllDocuments(text).map((document) => document.toJS() as KubeObject);
}

export interface AppSpec {
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  kinds: { group?: string; kind: string }[];
  selector: unknown;
}

export function application(name: string, spec: AppSpec): KubeObject {
  return {
    apiVersion: 'app.k8s.io/v1beta1',
    kind: 'Application',
    metadata: {
      name,
      namespace: spec.namespace ?? 'default',
      labels: spec.labels ?? {},
      ...(spec.annotations ? { annotations: spec.annotations } : {}),
    },
    spec: { componentKinds: spec.kinds, selector: spec.selector },
  };
}

export interface ResourceSpec {
  namespace?: string | undefined;
  labels?: Record<string, string>;
  status?: unknown;
}

function resource(apiVersion: string, kind: string, name: string, spec: ResourceSpec): KubeObject {
  return {
    apiVersion,
    kind,
    metadata: {
      name,
      ...(spec.namespace === undefined ? {} : { namespace: spec.namespace }),
      labels: spec.labels ?? {},
    },
    ...(spec.status === undefined ? {} : { status: spec.status }),
  };
}

/** Replica counts drive the shipped Deployment mapping: equal is Normal, fewer Warning, none Problem. */
export type Health = 'Normal' | 'Warning' | 'Problem';
const AVAILABLE: Record<Health, number> = { Normal: 2, Warning: 1, Problem: 0 };

export function deployment(name: string, health: Health, spec: ResourceSpec = {}): KubeObject {
  return resource('apps/v1', 'Deployment', name, {
    namespace: 'default',
    ...spec,
    status: { replicas: 2, availableReplicas: AVAILABLE[health] },
  });
}

export function service(name: string, spec: ResourceSpec = {}): KubeObject {
  return resource('v1', 'Service', name, { namespace: 'default', ...spec });
}

export function node(
  name: string,
  ready: 'True' | 'False' | 'Unknown',
  labels: Record<string, string>,
): KubeObject {
  return resource('v1', 'Node', name, {
    namespace: undefined,
    labels,
    status: { conditions: [{ type: 'Ready', status: ready }] },
  });
}

export function ingress(name: string, spec: ResourceSpec = {}): KubeObject {
  return resource('networking.k8s.io/v1', 'Ingress', name, { namespace: 'default', ...spec });
}
