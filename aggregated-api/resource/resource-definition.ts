/**
 * What a served resource is, in one place: its names (discovery, kubectl), its scope and verbs, its schema
 * (OpenAPI, `kubectl explain`), its columns (Table printing) and the fields it can be selected by. The
 * discovery documents, the OpenAPI documents, the routes and the Table encoder are all derived from these
 * definitions, so they cannot disagree.
 */
import type { KubeObject } from '../../pkg/kube/types.ts';
import type { JsonSchema } from './json-schema.ts';
import type { Column } from '../table/table.ts';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'delete';

/**
 * A function of a resource's object. Compared bivariantly (like a method), so that definitions of
 * different kinds can be listed together as definitions of KubeObjects.
 */
export type ObjectReader<T, R> = { bivarianceHack(object: T): R }['bivarianceHack'];

export interface ResourceDefinition<T extends KubeObject = KubeObject> {
  /** Plural, lower-case: the path segment and what RBAC rules name. */
  resource: string;
  singularName: string;
  kind: string;
  shortNames: readonly string[];
  categories: readonly string[];
  namespaced: boolean;
  verbs: readonly Verb[];
  /** What the kind is, for `kubectl explain`. */
  description: string;
  /** The kind's fields besides apiVersion, kind and metadata. */
  properties: Readonly<Record<string, JsonSchema>>;
  columns: readonly Column<T>[];
  /** Fields `?fieldSelector=` may name besides metadata.name and metadata.namespace, and how to read them. */
  selectableFields: Readonly<Record<string, ObjectReader<T, string | undefined>>>;
}

export function listKind(definition: Pick<ResourceDefinition, 'kind'>): string {
  return `${definition.kind}List`;
}

/** The value of a selectable field of `object`, the metadata fields included. */
export function fieldValues<T extends KubeObject>(
  definition: ResourceDefinition<T>,
  object: T,
): Record<string, string | undefined> {
  const values: Record<string, string | undefined> = {
    'metadata.name': object.metadata?.name,
    'metadata.namespace': object.metadata?.namespace,
  };
  for (const [field, read] of Object.entries(definition.selectableFields)) values[field] = read(object);
  return values;
}
