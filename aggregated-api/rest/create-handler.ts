/**
 * `create` of a create-only resource: the body must be an object of the resource's kind; unknown fields
 * are refused, warned about or ignored as `fieldValidation` asks (Warn when absent, kube-apiserver's
 * default; kubectl asks for Strict); `dryRun=All` computes without changing anything.
 */
import type { KubeObject } from '../../pkg/kube/types.ts';
import type { User } from '../authn/user.ts';
import { apiVersionOf, type GroupVersion } from '../resource/group-version.ts';
import type { OpenApiDocuments } from '../openapi/openapi-documents.ts';
import { unknownFields } from '../openapi/unknown-fields.ts';
import { queryValue, type Query } from '../request/list-options.ts';
import { badRequest } from '../../server/api-error.ts';
import type { CreatableResource } from '../resource/served-resource.ts';

export interface Created<T> {
  object: T;
  warnings: string[];
}

function fieldValidation(query: Query): 'Strict' | 'Warn' | 'Ignore' {
  const value = queryValue(query, 'fieldValidation') ?? 'Warn';
  if (value === 'Strict' || value === 'Warn' || value === 'Ignore') return value;
  throw badRequest(`fieldValidation: invalid value ${JSON.stringify(value)}: one of Ignore, Warn, Strict`);
}

/** `?dryRun=All` (the only value kube-apiserver knows); create and delete read it alike. */
export function dryRun(query: Query): boolean {
  const values =
    query.dryRun === undefined ? [] : Array.isArray(query.dryRun) ? query.dryRun : [query.dryRun];
  for (const value of values)
    if (value !== 'All') throw badRequest(`dryRun: unsupported value ${JSON.stringify(value)}: only All`);
  return values.length > 0;
}

export async function createObject<T extends KubeObject>(
  served: GroupVersion,
  openApi: OpenApiDocuments,
  resource: CreatableResource<T>,
  body: unknown,
  query: Query,
  user: User,
  namespace?: string,
): Promise<Created<T>> {
  const { definition } = resource;
  const apiVersion = apiVersionOf(served);
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw badRequest(`the body of the request must be a ${definition.kind} object`);
  const object = body as KubeObject;
  if (object.apiVersion !== undefined && object.apiVersion !== apiVersion)
    throw badRequest(
      `the API version in the data (${String(object.apiVersion)}) does not match the expected API version (${apiVersion})`,
    );
  if (object.kind !== undefined && object.kind !== definition.kind)
    throw badRequest(
      `the kind in the data (${String(object.kind)}) does not match the expected kind (${definition.kind})`,
    );
  const bodyNamespace = object.metadata?.namespace;
  if (namespace !== undefined && bodyNamespace && bodyNamespace !== namespace)
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  const validation = fieldValidation(query);
  const warnings: string[] = [];
  if (validation !== 'Ignore') {
    const unknown = unknownFields(openApi.schemaOf(definition.kind), object, openApi.schemas).map(
      (path) => `unknown field ${JSON.stringify(path)}`,
    );
    if (unknown.length > 0 && validation === 'Strict')
      throw badRequest(`strict decoding error: ${unknown.join(', ')}`);
    warnings.push(...unknown);
  }
  const created = await resource.create({
    body: object,
    ...(namespace !== undefined ? { namespace } : {}),
    user,
    dryRun: dryRun(query),
    warnings,
  });
  return { object: created, warnings };
}
