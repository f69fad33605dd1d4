/**
 * `create` of a create-only resource, after the body is decoded as kube-apiserver decodes it
 * (request/body-decoder.ts): the path's namespace and the body's must agree, `generateName` becomes a
 * name as the generic registry makes one, and the resource computes its answer, stamped with a
 * creationTimestamp in Kubernetes' form (seconds). `dryRun=All` computes without changing anything.
 */
import type { KubeObject } from '../../pkg/kube/types.ts';
import type { User } from '../../server/delegated-auth/user.ts';
import { badRequest } from '../../server/api-error.ts';
import type { OpenApiDocuments } from '../openapi/openapi-documents.ts';
import type { GroupVersion } from '../resource/group-version.ts';
import { decodeBody } from './body-decoder.ts';
import type { Format } from '../request/media-type.ts';
import type { CreateOptions } from '../request/write-options.ts';
import { generateName, kubeTime } from './object-meta.ts';
import type { CreatableResource } from '../resource/served-resource.ts';

export interface Created<T> {
  object: T;
  warnings: string[];
}

export interface CreateInput {
  body: Buffer;
  format: Format;
  options: CreateOptions;
  user: User;
  /** The path's namespace, for namespaced resources. */
  namespace?: string;
}

export async function createObject<T extends KubeObject>(
  served: GroupVersion,
  openApi: OpenApiDocuments,
  resource: CreatableResource<T>,
  input: CreateInput,
): Promise<Created<T>> {
  const { definition } = resource;
  const { object, warnings } = decodeBody(
    input.body,
    input.format,
    {
      group: served.group,
      version: served.version,
      kind: definition.kind,
      schema: openApi.schemaOf(definition.kind),
      definitions: openApi.schemas,
    },
    input.options.fieldValidation,
  );
  const metadata = (object['metadata'] ?? {}) as NonNullable<KubeObject['metadata']>;
  if (input.namespace !== undefined && metadata.namespace && metadata.namespace !== input.namespace)
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  const name = metadata.name || (metadata.generateName ? generateName(metadata.generateName) : undefined);
  const body = { ...object, metadata: { ...metadata, ...(name ? { name } : {}) } } as KubeObject;
  const created = await resource.create({
    body,
    ...(input.namespace !== undefined ? { namespace: input.namespace } : {}),
    user: input.user,
    dryRun: input.options.dryRun,
    warnings,
    creationTimestamp: kubeTime(new Date()),
  });
  return { object: created, warnings };
}
