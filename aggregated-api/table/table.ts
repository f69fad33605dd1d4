/**
 * Server-side printing (`meta.k8s.io` Table): what `kubectl get` shows. Each served resource declares its
 * columns; priority-0 columns are the default view and priority 1 the `-o wide` extras. Every row carries
 * the object as asked by `includeObject`: PartialObjectMetadata by default, which kubectl needs for the
 * NAMESPACE column of `-A` and for `--show-labels`.
 */
import type { KubeObject, ObjectMeta } from '../../pkg/kube/types.ts';
import { goQuote } from '../../pkg/validation/field-errors.ts';
import { badRequest } from '../../server/api-error.ts';
import { age } from './human-duration.ts';

export type Cell = string | number | boolean | null;

/** `?includeObject=` as sent: None, Metadata (also when empty), Object; anything else is refused per row. */
export type IncludeObject = string;

export interface TableColumnDefinition {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format: string;
  description: string;
  priority: number;
}

export interface Column<T extends KubeObject> extends TableColumnDefinition {
  cell(object: T, now: number): Cell;
}

export interface TableRow {
  cells: Cell[];
  object?: KubeObject;
}

export interface Table {
  kind: 'Table';
  apiVersion: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  /** null after the first event of a watch, as kube-apiserver sends it. */
  columnDefinitions: TableColumnDefinition[] | null;
  rows: TableRow[];
}

export interface PartialObjectMetadata {
  kind: 'PartialObjectMetadata';
  apiVersion: string;
  metadata: ObjectMeta;
}

/** The NAME column every resource starts with (`format: name` is what kubectl keys names on). */
export function nameColumn<T extends KubeObject>(): Column<T> {
  return {
    name: 'Name',
    type: 'string',
    format: 'name',
    description: 'Name must be unique within a namespace.',
    priority: 0,
    cell: (object) => object.metadata?.name ?? '',
  };
}

/** The AGE column, computed at answer time. */
export function ageColumn<T extends KubeObject>(): Column<T> {
  return {
    name: 'Age',
    type: 'string',
    format: '',
    description: 'Time since the object was created (CreationTimestamp).',
    priority: 0,
    cell: (object, now) => age(object.metadata?.creationTimestamp, now),
  };
}

export function partialObjectMetadata(object: KubeObject, version: string): PartialObjectMetadata {
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: `meta.k8s.io/${version}`,
    metadata: object.metadata ?? {},
  };
}

export interface TableOptions {
  version: string;
  includeObject: IncludeObject;
  /** False for the events after the first of a watch. */
  includeColumns: boolean;
  resourceVersion?: string;
  continueToken?: string;
  remainingItemCount?: number | undefined;
  now: number;
}

/**
 * The object of a row. kube-apiserver checks includeObject per row, so a Table without rows is served
 * whatever the value; a watch's initial-events-end bookmark always carries its metadata.
 */
function rowObject(object: KubeObject, options: TableOptions): KubeObject | undefined {
  const endsInitialEvents = object.metadata?.annotations?.['k8s.io/initial-events-end'] === 'true';
  if (endsInitialEvents && options.includeObject !== 'Object')
    return partialObjectMetadata(object, options.version) as unknown as KubeObject;
  switch (options.includeObject) {
    case 'None':
      return undefined;
    case 'Object':
      return object;
    case 'Metadata':
    case '':
      return partialObjectMetadata(object, options.version) as unknown as KubeObject;
    default:
      throw badRequest(`unrecognized includeObject value: ${goQuote(options.includeObject)}`);
  }
}

export function toTable<T extends KubeObject>(
  objects: readonly T[],
  columns: readonly Column<T>[],
  options: TableOptions,
): Table {
  const metadata: Table['metadata'] = {};
  if (options.resourceVersion !== undefined) metadata.resourceVersion = options.resourceVersion;
  if (options.continueToken) metadata.continue = options.continueToken;
  if (options.remainingItemCount !== undefined) metadata.remainingItemCount = options.remainingItemCount;
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${options.version}`,
    metadata,
    columnDefinitions: options.includeColumns
      ? columns.map(({ cell: _cell, ...definition }) => definition)
      : null,
    rows: objects.map((object) => {
      const row: TableRow = { cells: columns.map((column) => column.cell(object, options.now)) };
      const included = rowObject(object, options);
      if (included) row.object = included;
      return row;
    }),
  };
}
