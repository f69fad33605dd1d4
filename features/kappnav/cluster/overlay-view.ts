/**
 * The cluster view with one object known to be newer than the cache: a resource just created or changed
 * (read live), or just deleted. A lifecycle event is about exactly such an object, and the watch that
 * brings the change into the cache may not have delivered it yet.
 */
import { parseApiVersion, type ResourceType } from '../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { APPLICATION_TYPE } from '../model/application.ts';
import type { ClusterView } from '../model/cluster-view.ts';

export interface ObjectIdentity {
  group: string;
  kind: string;
  namespace: string | undefined;
  name: string;
}

function identityOf(object: KubeObject): ObjectIdentity {
  return {
    group: parseApiVersion(object.apiVersion ?? '').group,
    kind: object.kind ?? '',
    namespace: object.metadata?.namespace,
    name: object.metadata?.name ?? '',
  };
}

function same(a: ObjectIdentity, b: ObjectIdentity): boolean {
  return (
    a.group === b.group &&
    a.kind === b.kind &&
    (a.namespace ?? '') === (b.namespace ?? '') &&
    a.name === b.name
  );
}

/** `view` with `identity` replaced by `current` (or removed when undefined). */
export function overlayView(
  view: ClusterView,
  identity: ObjectIdentity,
  current: KubeObject | undefined,
): ClusterView {
  const patch = (
    objects: readonly KubeObject[],
    type: Pick<ResourceType, 'group' | 'kind'>,
    namespace?: string,
  ) => {
    if (type.group !== identity.group || type.kind !== identity.kind) return objects;
    const kept = objects.filter((object) => !same(identityOf(object), identity));
    const inScope = current && (namespace === undefined || current.metadata?.namespace === namespace);
    return inScope ? [...kept, current] : kept;
  };
  return {
    list: (type, namespace) =>
      patch(view.list(type, namespace), type, type.namespaced ? namespace : undefined),
    applications: (namespace) => patch(view.applications(namespace), APPLICATION_TYPE, namespace),
    getApplication: (namespace, name) =>
      same(identity, { ...APPLICATION_TYPE, namespace, name })
        ? current
        : view.getApplication(namespace, name),
  };
}
