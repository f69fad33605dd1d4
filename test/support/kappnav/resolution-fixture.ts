/**
 * A small cluster for pattern tests: a stock-trader Deployment with its pods, ReplicaSets and Route, a
 * command Job with its pod, the `builtin` map, and a resolver factory over them with a real sandbox.
 */
import { CORE_TYPES, type ResourceType } from '../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import type { ScriptSandbox } from '../../../pkg/sandbox/script-sandbox.ts';
import type { ConfigMap } from '../../../features/kappnav/kam/config-map-source.ts';
import { configMap, InMemoryConfigMaps } from './in-memory-config-maps.ts';
import type { ActionMap } from '../../../features/kappnav/actions/action-map.ts';
import { PatternResolver } from '../../../features/kappnav/actions/pattern/pattern-resolver.ts';
import { InMemoryResources } from './in-memory-resources.ts';

export const ROUTE_TYPE: ResourceType = {
  group: 'route.openshift.io',
  version: 'v1',
  resource: 'routes',
  kind: 'Route',
  namespaced: true,
};
export const NODE_TYPE: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'nodes',
  kind: 'Node',
  namespaced: false,
};

const TYPES = [ROUTE_TYPE, NODE_TYPE, ...Object.values(CORE_TYPES)];

export function object(
  apiVersion: string,
  kind: string,
  namespace: string | undefined,
  name: string,
  extra: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    uid?: string;
    ownerUid?: string;
  } & Record<string, unknown> = {},
): KubeObject {
  const { labels, annotations, uid, ownerUid, ...rest } = extra;
  return {
    apiVersion,
    kind,
    metadata: {
      name,
      ...(namespace ? { namespace } : {}),
      ...(labels ? { labels } : {}),
      ...(annotations ? { annotations } : {}),
      ...(uid ? { uid } : {}),
      ...(ownerUid
        ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'owner', uid: ownerUid }] }
        : {}),
    },
    ...rest,
  };
}

export const loyalty = object('apps/v1', 'Deployment', 'stock-trader', 'loyalty-level', {
  uid: 'loyalty-uid',
  annotations: { 'kappnav.subkind': 'Liberty' },
  labels: { solution: 'stock-trader' },
  spec: { selector: { matchLabels: { app: 'loyalty' } } },
});

export const stockTrader = object('app.k8s.io/v1beta1', 'Application', 'stock-trader', 'stock-trader', {
  spec: {
    componentKinds: [
      { group: 'apps', kind: 'Deployment' },
      { group: 'core', kind: 'Service' },
    ],
    selector: { matchLabels: { solution: 'stock-trader' } },
  },
});

export const commandJob = object('batch/v1', 'Job', 'kappnav', 'kappnav-1234', {
  labels: { 'kappnav-job-type': 'command' },
});

export function clusterObjects(): KubeObject[] {
  return [
    loyalty,
    stockTrader,
    commandJob,
    object('apps/v1', 'Deployment', 'stock-trader', 'portfolio', {
      labels: { solution: 'stock-trader' },
      spec: { selector: { matchLabels: { app: 'portfolio' } } },
    }),
    object('apps/v1', 'Deployment', 'elsewhere', 'trader', {
      labels: { solution: 'stock-trader' },
      spec: { selector: { matchLabels: { app: 'trader' } } },
    }),
    object('v1', 'Pod', 'stock-trader', 'loyalty-1', { labels: { app: 'loyalty' } }),
    object('v1', 'Pod', 'stock-trader', 'loyalty-2', { labels: { app: 'loyalty' } }),
    object('v1', 'Pod', 'other', 'loyalty-3', { labels: { app: 'loyalty' } }),
    object('v1', 'Pod', 'stock-trader', 'portfolio', { labels: { app: 'portfolio' } }),
    object('v1', 'Pod', 'stock-trader', 'portfolio-2', { labels: { app: 'portfolio' } }),
    object('v1', 'Pod', 'elsewhere', 'trader-1', { labels: { app: 'trader' } }),
    object('v1', 'Pod', 'kappnav', 'kappnav-1234-x7k2p', { labels: { 'job-name': 'kappnav-1234' } }),
    object('apps/v1', 'ReplicaSet', 'stock-trader', 'loyalty-level-5d8f', {
      labels: { app: 'loyalty' },
      ownerUid: 'loyalty-uid',
      annotations: { 'deployment.kubernetes.io/revision': '1' },
    }),
    object('apps/v1', 'ReplicaSet', 'stock-trader', 'loyalty-level-7c9a', {
      labels: { app: 'loyalty' },
      ownerUid: 'loyalty-uid',
      annotations: { 'deployment.kubernetes.io/revision': '2' },
    }),
    object('apps/v1', 'ReplicaSet', 'stock-trader', 'loyalty-level-stray', { labels: { app: 'loyalty' } }),
    object('route.openshift.io/v1', 'Route', 'stock-trader', 'loyalty-level', {
      spec: { host: 'loyalty.apps.example.com' },
    }),
    object('v1', 'Node', undefined, 'node-1', { labels: { zone: 'a' } }),
  ];
}

export const BUILTIN = configMap('kappnav', 'builtin', {
  'openshift-console-url': 'https://console.example.com',
  'openshift-admin-console-url': 'https://admin.example.com',
});

export interface ResolverSetup {
  /** The kind the request names, for objects that come without one. */
  kind?: string;
  actionMap?: ActionMap;
  userInput?: Record<string, string>;
  configMaps?: ConfigMap[];
  snippetTimeoutMs?: number;
  objects?: KubeObject[];
}

export function resolverFactory(sandbox: ScriptSandbox) {
  return (resource: KubeObject, setup: ResolverSetup = {}) => {
    const resources = new InMemoryResources(TYPES, setup.objects ?? clusterObjects());
    const resolver = new PatternResolver({
      resource,
      kind: setup.kind,
      actionMap: setup.actionMap ?? {},
      userInput: setup.userInput,
      services: {
        configMaps: new InMemoryConfigMaps(setup.configMaps ?? [BUILTIN]),
        resources,
        scripts: sandbox,
        kappnavNamespace: 'kappnav',
        snippetTimeoutMs: setup.snippetTimeoutMs,
      },
    });
    return { resolver, resources };
  };
}
