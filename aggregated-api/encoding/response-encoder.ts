/**
 * The encode step: a resource, a list or a watch event's object in the representation the client
 * negotiated (plain JSON or YAML, a Table for kubectl, PartialObjectMetadata for metadata clients), with
 * the Content-Type kube-apiserver sends for it.
 */
import { stringify } from 'yaml';
import type { KubeObject } from '../../pkg/kube/types.ts';
import type { IncludeObject } from '../request/list-options.ts';
import { conversionContentType, type ResourceRepresentation } from '../request/media-type.ts';
import { listKind, type ResourceDefinition } from '../resource/resource-definition.ts';
import { partialObjectMetadata, toTable } from '../table/table.ts';

export interface Encoded {
  contentType: string;
  body: string;
}

export interface EncodeOptions {
  /** The served group version (`group/version`): the apiVersion of lists and bookmarks. */
  apiVersion: string;
  representation: ResourceRepresentation;
  includeObject: IncludeObject;
  now: number;
  /** Rewrites each object before it is encoded (translation for `?locale=`); the store keeps the original. */
  transform?: (object: KubeObject) => KubeObject;
}

export interface ListMeta {
  resourceVersion: string;
  continue?: string;
}

/** `metadataKind` names the PartialObjectMetadata form: the object's, or the list's. */
function serialize(
  value: unknown,
  representation: ResourceRepresentation,
  metadataKind: 'PartialObjectMetadata' | 'PartialObjectMetadataList',
): Encoded {
  switch (representation.as) {
    case 'object':
      return representation.format === 'yaml'
        ? { contentType: 'application/yaml', body: stringify(value) }
        : { contentType: 'application/json', body: JSON.stringify(value) };
    case 'Table':
      return {
        contentType: conversionContentType('Table', representation.version, 'meta.k8s.io'),
        body: JSON.stringify(value),
      };
    case 'PartialObjectMetadata':
      return {
        contentType: conversionContentType(metadataKind, representation.version, 'meta.k8s.io'),
        body: JSON.stringify(value),
      };
  }
}

export function encodeList<T extends KubeObject>(
  definition: ResourceDefinition<T>,
  items: readonly T[],
  meta: ListMeta,
  options: EncodeOptions,
): Encoded {
  const { representation, transform } = options;
  const shown = transform ? items.map((item) => transform(item) as T) : items;
  const metadata = {
    resourceVersion: meta.resourceVersion,
    ...(meta.continue ? { continue: meta.continue } : {}),
  };
  let value: unknown;
  switch (representation.as) {
    case 'object':
      value = { apiVersion: options.apiVersion, kind: listKind(definition), metadata, items: shown };
      break;
    case 'Table':
      value = toTable(shown, definition.columns, {
        version: representation.version,
        includeObject: options.includeObject,
        includeColumns: true,
        resourceVersion: meta.resourceVersion,
        continueToken: meta.continue,
        now: options.now,
      });
      break;
    case 'PartialObjectMetadata':
      value = {
        apiVersion: `meta.k8s.io/${representation.version}`,
        kind: 'PartialObjectMetadataList',
        metadata,
        items: shown.map((item) => partialObjectMetadata(item, representation.version)),
      };
  }
  return serialize(value, representation, 'PartialObjectMetadataList');
}

/** A single object; `includeColumns` is false for the watch events after the first. */
export function objectRepresentation<T extends KubeObject>(
  definition: ResourceDefinition<T>,
  object: T,
  options: EncodeOptions,
  includeColumns = true,
): unknown {
  const { representation } = options;
  const shown = options.transform ? (options.transform(object) as T) : object;
  switch (representation.as) {
    case 'object':
      return shown;
    case 'Table':
      return toTable([shown], definition.columns, {
        version: representation.version,
        includeObject: options.includeObject,
        includeColumns,
        resourceVersion: shown.metadata?.resourceVersion,
        now: options.now,
      });
    case 'PartialObjectMetadata':
      return partialObjectMetadata(shown, representation.version);
  }
}

export function encodeObject<T extends KubeObject>(
  definition: ResourceDefinition<T>,
  object: T,
  options: EncodeOptions,
): Encoded {
  return serialize(
    objectRepresentation(definition, object, options),
    options.representation,
    'PartialObjectMetadata',
  );
}

/** Content-Type of a watch stream: JSON frames, in the negotiated conversion (YAML watches are JSON, as in Kubernetes). */
export function watchContentType(representation: ResourceRepresentation): string {
  if (representation.as === 'object') return 'application/json';
  return conversionContentType(representation.as, representation.version, 'meta.k8s.io');
}
