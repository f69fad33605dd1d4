/**
 * What a request asks for, read from its method and path exactly as k8s.io/apiserver's RequestInfoFactory
 * reads it: the authorization attributes (verb, group, resource, namespace, name, subresource) come from
 * here, so they are the ones kube-apiserver checked before proxying the request to us.
 *
 *   /apis/{group}/{version}/namespaces/{namespace}/{resource}/{name}/{subresource}/…
 *   /apis/{group}/{version}/{resource}/{name}/{subresource}/…
 *   /apis/{group}/{version}/watch/…              (legacy watch form)
 *   anything shorter, or outside /api and /apis: a non-resource request (discovery, health, OpenAPI)
 */
import { parseFieldSelector, requiredValue } from './field-selector.ts';

export interface RequestInfo {
  isResourceRequest: boolean;
  /** The URL path without the query. */
  path: string;
  /** Kubernetes verb: get, list, watch, create, update, patch, delete, deletecollection; else the HTTP method, lower-case. */
  verb: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  name: string;
  subresource: string;
  /** The path parts after the namespace, from the resource on. */
  parts: string[];
}

const API_PREFIXES = new Set(['api', 'apis']);
/** Namespaces have subresources of their own, which are not resources inside the namespace. */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);
const VERB_OF_METHOD: Readonly<Record<string, string>> = {
  POST: 'create',
  GET: 'get',
  HEAD: 'get',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

/** As RequestInfoFactory reads `watch`: anything but `0` and `false` in any casing (so `watch=f` watches). */
function isWatchRequested(query: URLSearchParams): boolean {
  const value = query.get('watch');
  return value !== null && value !== '0' && value.toLowerCase() !== 'false';
}

/** Path segments that can be an object's name (kube-apiserver's IsValidPathSegmentName). */
function isValidPathSegmentName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !name.includes('/') && !name.includes('%');
}

function nameFromFieldSelector(query: URLSearchParams): string {
  try {
    const name = requiredValue(parseFieldSelector(query.get('fieldSelector') ?? ''), 'metadata.name');
    return name !== undefined && isValidPathSegmentName(name) ? name : '';
  } catch {
    // A malformed selector is reported by the list handler; authorization then sees no name.
    return '';
  }
}

export function parseRequestInfo(method: string, url: string): RequestInfo {
  // Not `new URL`: a path starting with `//` would be read as a host name.
  const queryStart = url.indexOf('?');
  const path = queryStart < 0 ? url : url.slice(0, queryStart);
  const query = new URLSearchParams(queryStart < 0 ? '' : url.slice(queryStart + 1));
  const info: RequestInfo = {
    isResourceRequest: false,
    path,
    verb: method.toLowerCase(),
    apiGroup: '',
    apiVersion: '',
    namespace: '',
    resource: '',
    name: '',
    subresource: '',
    parts: [],
  };
  let parts = path.split('/').filter((part) => part !== '');
  if (parts.length < 3 || !API_PREFIXES.has(parts[0]!)) return info;
  const prefix = parts[0]!;
  parts = parts.slice(1);
  if (prefix === 'apis') {
    if (parts.length < 3) return info;
    info.apiGroup = parts[0]!;
    parts = parts.slice(1);
  }
  info.isResourceRequest = true;
  info.apiVersion = parts[0]!;
  parts = parts.slice(1);

  if (parts[0] === 'watch' && parts.length >= 2) {
    info.verb = 'watch';
    parts = parts.slice(1);
  } else {
    info.verb = VERB_OF_METHOD[method.toUpperCase()] ?? '';
  }

  if (parts[0] === 'namespaces' && parts.length > 1) {
    info.namespace = parts[1]!;
    if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2]!)) parts = parts.slice(2);
  }
  info.parts = parts;
  info.resource = parts[0] ?? '';
  info.name = parts[1] ?? '';
  info.subresource = parts[2] ?? '';

  if (info.name === '' && info.verb === 'get') {
    info.verb = isWatchRequested(query) ? 'watch' : 'list';
    info.name = nameFromFieldSelector(query);
  }
  if (info.name === '' && info.verb === 'delete') info.verb = 'deletecollection';
  return info;
}
