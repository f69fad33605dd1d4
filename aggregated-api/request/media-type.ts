/**
 * Content negotiation as k8s.io/apiserver does it. The Accept header is read as its goautoneg reads it
 * (comma-separated clauses, `type/subtype;param=value`, case-sensitive, only spaces trimmed, sorted by
 * `q` then specificity); each clause in turn is matched against the serializers this server has (JSON,
 * then YAML; no protobuf, no CBOR), and its parameters may ask for a conversion (`as=<Kind>;g=<group>;
 * v=<version>`: a `meta.k8s.io` Table, PartialObjectMetadata(List), or aggregated discovery) or pretty
 * printing (`pretty=1`). The first clause the endpoint can honour wins; none is a 406 listing the media
 * types served. The answer's Content-Type is the serializer's (`application/json`), conversion or not.
 */
import { notAcceptable } from '../../server/api-error.ts';

export interface MediaClause {
  type: string;
  subtype: string;
  params: Readonly<Record<string, string>>;
  q: number;
}

const trimSpaces = (text: string) => text.replace(/^ +| +$/g, '');

/** The Accept header as goautoneg.ParseAccept reads it. */
export function parseAccept(header: string): MediaClause[] {
  const clauses: MediaClause[] = [];
  for (const raw of header.split(',')) {
    const [mediaType = '', ...rawParams] = trimSpaces(raw).split(';');
    const [rawType = '', ...rest] = mediaType.split('/');
    const type = trimSpaces(rawType);
    let subtype: string;
    if (rest.length === 0) {
      if (type !== '*') continue;
      subtype = '*';
    } else if (rest.length > 1) continue;
    else subtype = trimSpaces(rest[0]!);
    const params: Record<string, string> = {};
    let q = 1;
    for (const param of rawParams) {
      const parts = param.split('=');
      if (parts.length !== 2) continue;
      const key = trimSpaces(parts[0]!);
      if (key === 'q') {
        const value = Number.parseFloat(parts[1]!);
        q = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(parts[1]!) ? value : 0;
      } else params[key] = trimSpaces(parts[1]!);
    }
    clauses.push({ type, subtype, params, q });
  }
  // goautoneg's order: higher q first; a concrete type, then a concrete subtype, before a wildcard. Small
  // lists sort stably, as Go's sort does for them.
  const before = (a: MediaClause, b: MediaClause) =>
    a.q > b.q || (a.type !== '*' && b.type === '*') || (a.subtype !== '*' && b.subtype === '*');
  for (let i = 1; i < clauses.length; i++)
    for (let j = i; j > 0 && before(clauses[j]!, clauses[j - 1]!); j--)
      [clauses[j - 1], clauses[j]] = [clauses[j]!, clauses[j - 1]!];
  return clauses;
}

export type Format = 'json' | 'yaml';

/** The serializers of this server, in the order negotiation tries them. */
const SERIALIZERS: readonly { format: Format; type: string; subtype: string; mediaType: string }[] = [
  { format: 'json', type: 'application', subtype: 'json', mediaType: 'application/json' },
  { format: 'yaml', type: 'application', subtype: 'yaml', mediaType: 'application/yaml' },
];

export const SERVED_MEDIA_TYPES: readonly string[] = SERIALIZERS.map((s) => s.mediaType);

export function mediaTypeOf(format: Format): string {
  return format === 'json' ? 'application/json' : 'application/yaml';
}

export interface Conversion {
  kind: string;
  group: string;
  version: string;
}

export interface Negotiated {
  format: Format;
  conversion?: Conversion;
  /** `pretty=1` in the Accept clause (`?pretty` and the user agent are read by isPrettyPrint). */
  pretty: boolean;
}

/** Whether an endpoint can answer in `format`, with `conversion` if one is asked. */
export type EndpointAllows = (format: Format, conversion: Conversion | undefined) => boolean;

/** The first clause of `accept` the endpoint allows; undefined when none. An empty header is JSON. */
export function negotiate(accept: string | undefined, allows: EndpointAllows): Negotiated | undefined {
  if (!accept) return { format: 'json', pretty: false };
  for (const clause of parseAccept(accept))
    for (const serializer of SERIALIZERS) {
      const matches =
        (clause.type === serializer.type &&
          (clause.subtype === serializer.subtype || clause.subtype === '*')) ||
        (clause.type === '*' && clause.subtype === '*');
      if (!matches) continue;
      const { as, g, v, pretty } = clause.params;
      const conversion =
        as !== undefined || g !== undefined || v !== undefined
          ? { kind: as ?? '', group: g ?? '', version: v ?? '' }
          : undefined;
      if (allows(serializer.format, conversion))
        return { format: serializer.format, ...(conversion ? { conversion } : {}), pretty: pretty === '1' };
    }
  return undefined;
}

/** What a resource request may be answered with. */
export type ResourceRepresentation =
  | { as: 'object'; format: Format; pretty: boolean }
  | { as: 'Table'; version: 'v1' | 'v1beta1'; format: Format; pretty: boolean }
  | {
      as: 'PartialObjectMetadata';
      kind: 'PartialObjectMetadata' | 'PartialObjectMetadataList';
      version: 'v1' | 'v1beta1';
      format: Format;
      pretty: boolean;
    };

const META_GROUP = 'meta.k8s.io';
const META_VERSIONS: ReadonlySet<string> = new Set(['v1', 'v1beta1']);

/**
 * The conversions a resource endpoint allows (RequestScope.AllowsMediaTypeTransform): a Table in JSON or
 * YAML, PartialObjectMetadata(List) in any serializer, both in meta.k8s.io v1 or v1beta1; nothing else.
 */
const resourceAllows: EndpointAllows = (_format, conversion) => {
  if (!conversion) return true;
  if (conversion.group !== META_GROUP || !META_VERSIONS.has(conversion.version)) return false;
  return ['Table', 'PartialObjectMetadata', 'PartialObjectMetadataList'].includes(conversion.kind);
};

export const notAcceptableError = () =>
  notAcceptable(`only the following media types are accepted: ${SERVED_MEDIA_TYPES.join(', ')}`);

function representation({ format, conversion, pretty }: Negotiated): ResourceRepresentation {
  if (!conversion) return { as: 'object', format, pretty };
  const version = conversion.version as 'v1' | 'v1beta1';
  return conversion.kind === 'Table'
    ? { as: 'Table', version, format, pretty }
    : {
        as: 'PartialObjectMetadata',
        kind: conversion.kind as 'PartialObjectMetadata' | 'PartialObjectMetadataList',
        version,
        format,
        pretty,
      };
}

/** The representation of a resource (list, object) the client prefers among those served; 406 if none. */
export function negotiateResource(accept: string | undefined): ResourceRepresentation {
  const negotiated = negotiate(accept, resourceAllows);
  if (!negotiated) throw notAcceptableError();
  return representation(negotiated);
}

/** A watch streams JSON only (YAML has no stream serializer); 406 when the client accepts no JSON. */
export function negotiateWatch(accept: string | undefined): ResourceRepresentation {
  const negotiated = negotiate(
    accept,
    (format, conversion) => format === 'json' && resourceAllows(format, conversion),
  );
  if (!negotiated) throw notAcceptable('only the following media types are accepted: application/json');
  return representation(negotiated);
}

export type DiscoveryRepresentation = { aggregated: false } | { aggregated: true; version: 'v2' };

/** Aggregated discovery (`APIGroupDiscoveryList`) when asked for, else the legacy documents. */
export function negotiateDiscovery(accept: string | undefined): DiscoveryRepresentation {
  const negotiated = negotiate(
    accept,
    (format, conversion) =>
      format === 'json' &&
      (!conversion ||
        (conversion.kind === 'APIGroupDiscoveryList' &&
          conversion.group === 'apidiscovery.k8s.io' &&
          conversion.version === 'v2')),
  );
  if (!negotiated) throw notAcceptableError();
  return negotiated.conversion ? { aggregated: true, version: 'v2' } : { aggregated: false };
}

/** The Content-Type of aggregated discovery, parameters in kube-apiserver's order. */
export function discoveryContentType(version: string): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}
