/** A served resource of the API, with the paths to reach it. */
export interface ResourceType {
  group: string;
  version: string;
  /** Plural lower-case resource name, e.g. `deployments`. */
  resource: string;
  kind: string;
  namespaced: boolean;
}

export function apiVersionOf(type: Pick<ResourceType, 'group' | 'version'>): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

/** Splits `apps/v1` into group and version; `v1` is the core group. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** The collection path, in a namespace when given (and the type is namespaced), else across namespaces. */
export function collectionPath(type: ResourceType, namespace?: string): string {
  const root = type.group ? `/apis/${type.group}/${type.version}` : `/api/${type.version}`;
  return type.namespaced && namespace
    ? `${root}/namespaces/${namespace}/${type.resource}`
    : `${root}/${type.resource}`;
}

export function objectPath(
  type: ResourceType,
  namespace: string | undefined,
  name: string,
  subresource?: string,
): string {
  const base = `${collectionPath(type, namespace)}/${encodeURIComponent(name)}`;
  return subresource ? `${base}/${subresource}` : base;
}

/** Well-known resource types prismgate watches itself, so it needs no discovery for them. */
export const CORE_TYPES = {
  namespaces: { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false },
  configMaps: { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true },
  secrets: { group: '', version: 'v1', resource: 'secrets', kind: 'Secret', namespaced: true },
  services: { group: '', version: 'v1', resource: 'services', kind: 'Service', namespaced: true },
  pods: { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true },
  deployments: {
    group: 'apps',
    version: 'v1',
    resource: 'deployments',
    kind: 'Deployment',
    namespaced: true,
  },
  replicaSets: {
    group: 'apps',
    version: 'v1',
    resource: 'replicasets',
    kind: 'ReplicaSet',
    namespaced: true,
  },
  jobs: { group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job', namespaced: true },
  customResourceDefinitions: {
    group: 'apiextensions.k8s.io',
    version: 'v1',
    resource: 'customresourcedefinitions',
    kind: 'CustomResourceDefinition',
    namespaced: false,
  },
  applications: {
    group: 'app.k8s.io',
    version: 'v1beta1',
    resource: 'applications',
    kind: 'Application',
    namespaced: true,
  },
  kindActionMappings: {
    group: 'actions.kappnav.io',
    version: 'v1',
    resource: 'kindactionmappings',
    kind: 'KindActionMapping',
    namespaced: true,
  },
} as const satisfies Record<string, ResourceType>;
