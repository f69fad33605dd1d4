/**
 * An Application's `spec.componentKinds` resolved to served resource types (kappnav-prism.md §2.2).
 *
 * Users write groups loosely: `core` for the core group, or a wrong group (`apps/Ingress`,
 * `services/Service`, `v1/ConfigMap`, all in kAppNav's own test data). A kind not served under the given
 * group is looked up under its known groups instead; a kind served nowhere (a CRD not installed, the test
 * data's `CloudService`) is dropped, with a sentence saying so.
 */
import type { ResourceType } from '../../../pkg/kube/resource-type.ts';

/** What the API server serves. `ApiDiscovery` (pkg/kube/api-discovery.ts) implements it. */
export interface ResourceRegistry {
  /** The preferred version of group/kind, or undefined when the server does not serve it. */
  forKind(group: string, kind: string): ResourceType | undefined;
}

/**
 * The groups a kind is known in, tried in order when the written group does not serve it: kAppNav's
 * fallback tables (Java CORE_KIND_TO_API_VERSION_MAP, Go coreKindToGVR, the design's table) merged, with
 * their QUIRKs fixed (StorageClass is storage.k8s.io, Endpoints is core) and Ingress tried in today's
 * networking.k8s.io before the retired extensions group, plus the other built-in workload kinds.
 */
const KNOWN_GROUPS: Readonly<Record<string, readonly string[]>> = {
  Application: ['app.k8s.io'],
  ClusterRole: ['rbac.authorization.k8s.io'],
  ClusterRoleBinding: ['rbac.authorization.k8s.io'],
  Role: ['rbac.authorization.k8s.io'],
  RoleBinding: ['rbac.authorization.k8s.io'],
  ConfigMap: [''],
  Endpoints: [''],
  Node: [''],
  PersistentVolume: [''],
  PersistentVolumeClaim: [''],
  Pod: [''],
  Secret: [''],
  Service: [''],
  ServiceAccount: [''],
  CustomResourceDefinition: ['apiextensions.k8s.io'],
  DaemonSet: ['apps'],
  Deployment: ['apps'],
  ReplicaSet: ['apps'],
  StatefulSet: ['apps'],
  CronJob: ['batch'],
  Job: ['batch'],
  Ingress: ['networking.k8s.io', 'extensions'],
  NetworkPolicy: ['networking.k8s.io'],
  Route: ['route.openshift.io'],
  StorageClass: ['storage.k8s.io'],
  'Liberty-App': ['kappnav.io'],
  'Liberty-Collective': ['kappnav.io'],
  'WAS-ND-Cell': ['kappnav.io'],
  'WAS-Traditional-App': ['kappnav.io'],
  Kappnav: ['kappnav.operator.kappnav.io'],
};

export interface ComponentKinds {
  /** Served types, in the order written, without duplicates. */
  types: ResourceType[];
  /** One sentence per entry that was dropped. */
  dropped: string[];
  /** The entries naming a kind the cluster does not serve (now), by their index in the list. */
  unserved: { index: number; group: string; kind: string }[];
}

function resolve(group: string, kind: string, registry: ResourceRegistry): ResourceType | undefined {
  const written = group === 'core' ? '' : group;
  const direct = registry.forKind(written, kind);
  if (direct) return direct;
  for (const known of KNOWN_GROUPS[kind] ?? []) {
    const type = registry.forKind(known, kind);
    if (type) return type;
  }
  return undefined;
}

export function normalizeComponentKinds(componentKinds: unknown, registry: ResourceRegistry): ComponentKinds {
  const result: ComponentKinds = { types: [], dropped: [], unserved: [] };
  if (componentKinds === undefined || componentKinds === null) return result;
  if (!Array.isArray(componentKinds)) {
    result.dropped.push('componentKinds is not a list');
    return result;
  }
  componentKinds.forEach((entry: unknown, index) => {
    const { group, kind } = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<
      string,
      unknown
    >;
    if (typeof kind !== 'string' || kind === '') {
      result.dropped.push(`componentKinds[${index}] has no kind`);
      return;
    }
    // The CRD requires a group, but kAppNav tolerates a missing one and reads it as the core group.
    const written = typeof group === 'string' ? group : '';
    const type = resolve(written, kind, registry);
    if (!type) {
      result.unserved.push({ index, group: written, kind });
      result.dropped.push(
        `componentKinds[${index}] ${written}/${kind} is not served by the cluster; it is ignored`,
      );
      return;
    }
    if (!result.types.some((t) => t.group === type.group && t.kind === type.kind)) result.types.push(type);
  });
  return result;
}
