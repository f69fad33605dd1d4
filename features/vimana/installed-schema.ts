/**
 * What the installed CRD of a Vimana kind lets prismgate write into a status, read from the CRD object
 * itself (never from prismgate's own manifests): the cluster may run the operator's CRDs, prismgate's,
 * or a later version of either, and a user may replace one by the other at any time.
 *
 * The API server prunes every field a structural schema does not declare, and PATCH of `/status` answers
 * 404 where the CRD has no status subresource. Writing a field the schema prunes is therefore worse than
 * useless: the write lands (an etcd write, a watch event for every controller), the field is gone, and a
 * writer that compares what it wanted with what is stored writes again, forever (the 584 writes per object
 * per minute measured beside the operator's CRDs). So every value is pruned here exactly as the API server
 * would prune it, before it is compared or written.
 */
import { isRecord } from '../../pkg/json/json-value.ts';
import { readPath, readString } from './fields.ts';
import { VIMANA_VERSION } from './resource-types.ts';

type Schema = Record<string, unknown>;

export interface InstalledStatusSchema {
  /** The CRD's `metadata.generation`, to tell a schema change in logs. */
  generation: number;
  /** Whether `v1alpha1` has the status subresource (without it, status cannot be written at all). */
  subresource: boolean;
  /** The schema of `status`, or undefined when the version declares none (everything under status pruned). */
  status: Schema | undefined;
  /**
   * Whether `status.conditions` is a map keyed by `type` (`x-kubernetes-list-type: map`): only then can
   * several managers each own their own condition. An atomic list (the operator's CRDs) belongs whole to
   * its last writer, so prismgate must leave it alone.
   */
  conditionsByType: boolean;
}

/** The schema of the served `v1alpha1` version of a CRD object, or undefined when that version is not served. */
export function installedStatusSchema(crd: unknown): InstalledStatusSchema | undefined {
  const versions = readPath(crd, 'spec.versions');
  const version = (Array.isArray(versions) ? versions : []).find(
    (candidate: unknown) =>
      readString(candidate, 'name') === VIMANA_VERSION && readPath(candidate, 'served') !== false,
  ) as unknown;
  if (version === undefined) return undefined;
  const status = readPath(version, 'schema.openAPIV3Schema.properties.status');
  const statusSchema = isRecord(status) ? status : undefined;
  const conditions = childSchema(statusSchema, 'conditions');
  const mapKeys = readPath(conditions, 'x-kubernetes-list-map-keys');
  return {
    generation: Number(readPath(crd, 'metadata.generation') ?? 0),
    subresource: isRecord(readPath(version, 'subresources.status')),
    status: statusSchema,
    conditionsByType:
      readPath(conditions, 'x-kubernetes-list-type') === 'map' &&
      Array.isArray(mapKeys) &&
      mapKeys.length === 1 &&
      mapKeys[0] === 'type',
  };
}

const PRESERVED: Schema = { 'x-kubernetes-preserve-unknown-fields': true };

function preservesUnknown(schema: Schema | undefined): boolean {
  return schema?.['x-kubernetes-preserve-unknown-fields'] === true;
}

/** The schema of a named property, or of any property when the object declares `additionalProperties`. */
function childSchema(schema: Schema | undefined, key: string): Schema | undefined {
  const properties = schema?.['properties'];
  if (isRecord(properties) && Object.hasOwn(properties, key)) {
    const property = properties[key];
    return isRecord(property) ? property : undefined;
  }
  const additional = schema?.['additionalProperties'];
  if (isRecord(additional)) return additional;
  // A field no schema describes, under one that preserves unknown fields, is kept whole.
  return additional === true || preservesUnknown(schema) ? PRESERVED : undefined;
}

const JSON_TYPES: Record<string, (value: unknown) => boolean> = {
  object: isRecord,
  array: Array.isArray,
  string: (value) => typeof value === 'string',
  integer: Number.isInteger,
  number: (value) => typeof value === 'number' && Number.isFinite(value),
  boolean: (value) => typeof value === 'boolean',
};

function typeFits(schema: Schema, value: unknown): boolean {
  if (schema['x-kubernetes-int-or-string'] === true)
    return typeof value === 'string' || Number.isInteger(value);
  const type = schema['type'];
  return typeof type !== 'string' || (JSON_TYPES[type]?.(value) ?? true);
}

/**
 * `value` as the API server would store it under `schema`: fields the schema does not declare removed
 * (unless it preserves unknown fields), recursively through objects, maps and lists. Undefined when the
 * value does not have the schema's type, which the API server would reject rather than prune: prismgate
 * then does not write it at all.
 */
export function pruneToSchema(value: unknown, schema: Schema): unknown {
  if (!typeFits(schema, value)) return undefined;
  if (Array.isArray(value)) {
    const items = schema['items'];
    if (!isRecord(items)) return value;
    const pruned = value.map((item) => pruneToSchema(item, items));
    return pruned.includes(undefined) ? undefined : pruned;
  }
  if (!isRecord(value)) return value;
  const kept: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const property = childSchema(schema, key);
    if (property === undefined) continue;
    const pruned = pruneToSchema(child, property);
    if (pruned === undefined) return undefined;
    kept[key] = pruned;
  }
  return kept;
}

/** Whether the installed schema keeps a status field at all (declares it, or preserves unknown fields). */
export function declaresStatusField(schema: InstalledStatusSchema, field: string): boolean {
  return schema.subresource && childSchema(schema.status, field) !== undefined;
}

/** The value a status field keeps once stored, or undefined when the installed schema drops the field. */
export function keptStatusField(schema: InstalledStatusSchema, field: string, value: unknown): unknown {
  const property = schema.subresource ? childSchema(schema.status, field) : undefined;
  return property === undefined ? undefined : pruneToSchema(value, property);
}

/** The schema of one condition entry (items of `status.conditions`), when conditions can be owned per type. */
export function conditionSchema(schema: InstalledStatusSchema): Schema | undefined {
  if (!schema.subresource || !schema.conditionsByType) return undefined;
  const items = childSchema(schema.status, 'conditions')?.['items'];
  return isRecord(items) ? items : {};
}
