/**
 * The encode step: a resource, a list or a watch event's object in the representation the client
 * negotiated (the object, a Table for kubectl, PartialObjectMetadata for metadata clients), serialised as
 * kube-apiserver serialises it: JSON as Go's encoder writes it (`<`, `>`, `&` escaped, a final newline)
 * or indented by two spaces when pretty printing is asked, or YAML; the Content-Type is the serializer's
 * own (`application/json`), a conversion or not.
 */
import { stringify } from 'yaml';
import type { KubeObject } from '../../pkg/kube/types.ts';
import { goJson } from '../../pkg/validation/field-errors.ts';
import { notAcceptable } from '../../server/api-error.ts';
import type { Query } from '../request/list-options.ts';
import { mediaTypeOf, negotiate, type Format, type ResourceRepresentation } from '../request/media-type.ts';
import { listKind, type ResourceDefinition } from '../resource/resource-definition.ts';
import { partialObjectMetadata, toTable, type IncludeObject } from '../table/table.ts';

export interface Encoded {
  contentType: string;
  body: string;
}

export interface EncodeOptions {
  /** The served group version (`group/version`): the apiVersion of lists and bookmarks. */
  apiVersion: string;
  representation: ResourceRepresentation;
  includeObject: IncludeObject;
  /** Indented JSON (`?pretty=true`, `pretty=1` in Accept, or curl, Wget and browsers). */
  pretty: boolean;
  now: number;
  /** Rewrites each object before it is encoded (translation for `?locale=`); the store keeps the original. */
  transform?: (object: KubeObject) => KubeObject;
}

export interface ListMeta {
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

const PRETTY_VALUES: ReadonlySet<string> = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const PRETTY_AGENTS = ['curl', 'Wget', 'Mozilla/5.0'];

/**
 * Whether kube-apiserver would indent the answer: a non-empty `?pretty` decides (Go's ParseBool); without
 * one, curl, Wget and browsers get indented JSON.
 */
export function isPrettyPrint(query: Query, userAgent: string | undefined): boolean {
  const value = query['pretty'];
  const first = Array.isArray(value) ? value[0] : value;
  if (first) return PRETTY_VALUES.has(first);
  return PRETTY_AGENTS.some((prefix) => userAgent?.startsWith(prefix));
}

/** Go's `json.MarshalIndent(value, "", "  ")` and `json.NewEncoder(w).Encode(value)`. */
export function goJsonText(value: unknown, pretty: boolean): string {
  return pretty ? goJson(value, 2) : `${goJson(value)}\n`;
}

export function serialize(value: unknown, format: Format, pretty: boolean): Encoded {
  return format === 'yaml'
    ? { contentType: mediaTypeOf('yaml'), body: stringify(value) }
    : { contentType: mediaTypeOf('json'), body: goJsonText(value, pretty) };
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
    ...(meta.remainingItemCount !== undefined ? { remainingItemCount: meta.remainingItemCount } : {}),
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
        remainingItemCount: meta.remainingItemCount,
        now: options.now,
      });
      break;
    case 'PartialObjectMetadata':
      if (representation.kind !== 'PartialObjectMetadataList')
        throw notAcceptable(
          `you requested PartialObjectMetadata, but the requested object is a list (*v1.${listKind(definition)})`,
        );
      value = {
        apiVersion: `meta.k8s.io/${representation.version}`,
        kind: 'PartialObjectMetadataList',
        metadata,
        items: shown.map((item) => partialObjectMetadata(item, representation.version)),
      };
  }
  return serialize(value, representation.format, options.pretty);
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
  const { representation } = options;
  if (representation.as === 'PartialObjectMetadata' && representation.kind !== 'PartialObjectMetadata')
    throw notAcceptable(
      `you requested PartialObjectMetadataList, but the requested object is not a list (*v1.${definition.kind})`,
    );
  return serialize(objectRepresentation(definition, object, options), representation.format, options.pretty);
}

/** Content-Type of a watch stream: JSON frames, whatever the conversion. */
export const WATCH_CONTENT_TYPE = mediaTypeOf('json');

/**
 * A Status as kube-apiserver's ErrorNegotiated writes it: in the representation the client accepts (no
 * conversion applies to a Status), indented when asked; when nothing the client accepts can carry it,
 * indented JSON all the same (Go's WriteRawJSON).
 */
export function encodeStatus(
  request: { headers: { accept?: string; 'user-agent'?: string }; query?: unknown },
  status: object,
): Encoded {
  const negotiated = negotiate(request.headers.accept, (_format, conversion) => conversion === undefined);
  if (!negotiated) return { contentType: mediaTypeOf('json'), body: goJson(status, 2) };
  const pretty =
    negotiated.pretty || isPrettyPrint((request.query ?? {}) as Query, request.headers['user-agent']);
  return serialize(status, negotiated.format, pretty);
}
