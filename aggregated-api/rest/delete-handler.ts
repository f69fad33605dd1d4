/**
 * `delete` of one object, after its DeleteOptions are decoded and validated (request/write-options.ts),
 * as the generic registry deletes: the preconditions must hold (409 Conflict naming the uid or
 * resourceVersion otherwise), then the resource deletes, and the answer is the Status of a deleted object
 * (`status: Success`, its name, group, resource and uid).
 */
import type { KubeObject, KubeStatus } from '../../pkg/kube/types.ts';
import type { User } from '../../server/delegated-auth/user.ts';
import { conflict } from '../../server/api-error.ts';
import type { DeleteOptions } from '../request/write-options.ts';
import type { ReadableResource } from '../resource/served-resource.ts';

function checkPreconditions<T extends KubeObject>(
  group: string,
  resource: ReadableResource<T>,
  object: T,
  options: DeleteOptions,
) {
  const { uid = '', resourceVersion = '', name = '' } = object.metadata ?? {};
  // kube-apiserver names the kind, not the resource, in a failed precondition.
  const what = { group, resource: resource.definition.kind };
  const wanted = options.preconditions;
  if (wanted?.uid !== undefined && wanted.uid !== uid)
    throw conflict(
      what,
      name,
      `the UID in the precondition (${wanted.uid}) does not match the UID in record (${uid}). The object might have been deleted and then recreated`,
    );
  if (wanted?.resourceVersion !== undefined && wanted.resourceVersion !== resourceVersion)
    throw conflict(
      what,
      name,
      `the ResourceVersion in the precondition (${wanted.resourceVersion}) does not match the ResourceVersion in record (${resourceVersion}). The object might have been modified`,
    );
}

export async function deleteObject<T extends KubeObject>(
  group: string,
  resource: ReadableResource<T>,
  object: T,
  options: DeleteOptions,
  user: User,
): Promise<KubeStatus> {
  checkPreconditions(group, resource, object, options);
  await resource.delete!({
    object,
    user,
    dryRun: options.dryRun,
    ...(options.propagationPolicy ? { propagationPolicy: options.propagationPolicy } : {}),
  });
  const { name = '', uid } = object.metadata ?? {};
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { name, group, kind: resource.definition.resource, ...(uid ? { uid } : {}) },
  };
}
