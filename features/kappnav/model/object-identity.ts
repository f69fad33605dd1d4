/**
 * Which object a Kubernetes object is, across versions of its API: group, kind, namespace and name. Two
 * informer events, an admission request and a lifecycle call are about the same object when these match,
 * whatever apiVersion each carried.
 */
import { parseApiVersion } from '../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../pkg/kube/types.ts';

export interface ObjectReference {
  group: string;
  kind: string;
  /** Absent or '' for cluster-scoped objects. */
  namespace?: string | undefined;
  name: string;
}

export function referenceOf(object: KubeObject): ObjectReference {
  return {
    group: parseApiVersion(object.apiVersion ?? '').group,
    kind: object.kind ?? '',
    namespace: object.metadata?.namespace ?? '',
    name: object.metadata?.name ?? '',
  };
}

/** `group/kind/namespace/name`, the key of an object in maps and sets. */
export function identityOf(reference: ObjectReference): string {
  return `${reference.group}/${reference.kind}/${reference.namespace ?? ''}/${reference.name}`;
}

export function objectIdentity(object: KubeObject): string {
  return identityOf(referenceOf(object));
}
