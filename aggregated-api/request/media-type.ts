/**
 * Content negotiation as kube-apiserver does it: the Accept header lists media ranges in order of
 * preference (and `q`), and a range may ask for a server-side conversion with the parameters
 * `as=<Kind>;g=<group>;v=<version>`: a `meta.k8s.io` Table (kubectl get), PartialObjectMetadata (metadata
 * informers of the garbage collector and namespace controller) or an aggregated discovery document
 * (`apidiscovery.k8s.io`). The first range the server can honour wins; protobuf ranges are skipped
 * because the server speaks JSON (and YAML) only.
 */
import { notAcceptable } from '../../server/api-error.ts';

export interface MediaRange {
  type: string;
  subtype: string;
  params: Readonly<Record<string, string>>;
  q: number;
}

export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header || header.trim() === '') return [{ type: '*', subtype: '*', params: {}, q: 1 }];
  const ranges = header.split(',').flatMap((entry): MediaRange[] => {
    const [mediaType = '', ...rawParams] = entry.split(';').map((part) => part.trim());
    const [type, subtype] = mediaType.toLowerCase().split('/');
    if (!type || !subtype) return [];
    const params: Record<string, string> = {};
    for (const param of rawParams) {
      const eq = param.indexOf('=');
      if (eq > 0)
        params[param.slice(0, eq).trim().toLowerCase()] = param
          .slice(eq + 1)
          .trim()
          .replace(/^"|"$/g, '');
    }
    const q = params.q === undefined ? 1 : Number(params.q);
    delete params.q;
    return [{ type, subtype, params, q: Number.isFinite(q) ? q : 0 }];
  });
  // Stable sort: equal q keeps the client's order.
  return ranges.filter((r) => r.q > 0).sort((a, b) => b.q - a.q);
}

/** What a resource request may be answered with. */
export type ResourceRepresentation =
  | { as: 'object'; format: 'json' | 'yaml' }
  | { as: 'Table'; version: 'v1' | 'v1beta1' }
  | { as: 'PartialObjectMetadata'; version: 'v1' | 'v1beta1' };

const META_VERSIONS = new Set(['v1', 'v1beta1']);

function isJson(range: MediaRange): boolean {
  return (
    (range.type === 'application' && (range.subtype === 'json' || range.subtype === '*')) ||
    (range.type === '*' && range.subtype === '*')
  );
}

function conversion(
  range: MediaRange,
  group: string,
  kinds: readonly string[],
  versions: ReadonlySet<string>,
) {
  const { as, g, v } = range.params;
  return as !== undefined && kinds.includes(as) && g === group && v !== undefined && versions.has(v)
    ? { as, version: v }
    : undefined;
}

/** The representation of a resource (list, object or watch event) the client prefers among those served. */
export function negotiateResource(accept: string | undefined): ResourceRepresentation {
  for (const range of parseAccept(accept)) {
    if (range.type === 'application' && range.subtype === 'yaml' && range.params.as === undefined)
      return { as: 'object', format: 'yaml' };
    if (!isJson(range)) continue;
    if (range.params.as === undefined) return { as: 'object', format: 'json' };
    const asked = conversion(
      range,
      'meta.k8s.io',
      ['Table', 'PartialObjectMetadata', 'PartialObjectMetadataList'],
      META_VERSIONS,
    );
    if (!asked) continue;
    const version = asked.version as 'v1' | 'v1beta1';
    return asked.as === 'Table' ? { as: 'Table', version } : { as: 'PartialObjectMetadata', version };
  }
  throw notAcceptable(accept ?? '', ['application/json', 'application/yaml']);
}

export type DiscoveryRepresentation = { aggregated: false } | { aggregated: true; version: 'v2' | 'v2beta1' };

const DISCOVERY_VERSIONS = new Set(['v2', 'v2beta1']);

/** Aggregated discovery (`APIGroupDiscoveryList`) when asked for, else the legacy documents. */
export function negotiateDiscovery(accept: string | undefined): DiscoveryRepresentation {
  for (const range of parseAccept(accept)) {
    if (!isJson(range)) continue;
    if (range.params.as === undefined) return { aggregated: false };
    const asked = conversion(range, 'apidiscovery.k8s.io', ['APIGroupDiscoveryList'], DISCOVERY_VERSIONS);
    if (asked) return { aggregated: true, version: asked.version as 'v2' | 'v2beta1' };
  }
  // Never refuse discovery: the aggregator falls back to the legacy documents on anything but 304/200-v2.
  return { aggregated: false };
}

/** The Content-Type of a response in a conversion, e.g. `application/json;as=Table;v=v1;g=meta.k8s.io`. */
export function conversionContentType(kind: string, version: string, group: string): string {
  return `application/json;as=${kind};v=${version};g=${group}`;
}
