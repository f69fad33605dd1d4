/**
 * How prism objects about one resource are named, like kubectl's `deployment.apps/web` with a colon:
 * `deployment.apps:web` (`service:web` for the core group; the plural works too: `deployments.apps:web`).
 * ResourceStatus and ActionMap objects share the form, so `kubectl get rstatus X` and `kubectl get amap X`
 * name the same resource the same way.
 */
import type { ApiDiscovery } from '../../../../pkg/kube/api-discovery.ts';
import type { ResourceType } from '../../../../pkg/kube/resource-type.ts';
import type { KubeObject, ObjectMeta } from '../../../../pkg/kube/types.ts';
import type { ObjectReference } from './components.ts';
import { derivedUid, groupOf } from './projection.ts';

/** `deployment.apps:web`: the lower-case kind, its group unless core, and the resource's name. */
function qualifiedResourceName(resource: KubeObject): string {
  const group = groupOf(resource);
  return `${(resource.kind ?? '').toLowerCase()}${group ? `.${group}` : ''}:${resource.metadata?.name ?? ''}`;
}

/** The served type a `<kind>[.<group>]` name part means: a kind (any case) or a plural resource name. */
function typeNamed(discovery: Pick<ApiDiscovery, 'all'>, kindAndGroup: string): ResourceType | undefined {
  const dot = kindAndGroup.indexOf('.');
  const [kind, group] =
    dot < 0 ? [kindAndGroup, ''] : [kindAndGroup.slice(0, dot), kindAndGroup.slice(dot + 1)];
  const matches = discovery
    .all()
    .filter((t) => t.group === group && (t.kind.toLowerCase() === kind.toLowerCase() || t.resource === kind));
  return matches.find((t) => t.preferred) ?? matches[0];
}

/** The namespaced type and resource name a qualified name means; undefined when it names none. */
export function parseQualifiedName(
  discovery: Pick<ApiDiscovery, 'all'>,
  name: string,
): { type: ResourceType; name: string } | undefined {
  const colon = name.indexOf(':');
  const type = colon > 0 ? typeNamed(discovery, name.slice(0, colon)) : undefined;
  return type?.namespaced ? { type, name: name.slice(colon + 1) } : undefined;
}

/** The metadata and `spec` of a prism object about `resource`; `uidPrefix` keeps uids of each kind apart. */
export function aboutResource(
  resource: KubeObject,
  type: Pick<ResourceType, 'resource'>,
  uidPrefix: string,
): { metadata: ObjectMeta; spec: { resource: ObjectReference } } {
  const { namespace, name = '', uid, creationTimestamp } = resource.metadata ?? {};
  return {
    metadata: {
      name: qualifiedResourceName(resource),
      namespace,
      uid: derivedUid(uidPrefix, uid ?? qualifiedResourceName(resource)),
      ...(creationTimestamp ? { creationTimestamp } : {}),
    },
    spec: {
      resource: {
        apiVersion: resource.apiVersion ?? '',
        kind: resource.kind ?? '',
        resource: type.resource,
        ...(namespace ? { namespace } : {}),
        name,
        ...(uid ? { uid } : {}),
      },
    },
  };
}
