/**
 * What KindActionMapping rules are matched against: the identity of one resource
 * (kappnav-prism.md §3.4, "Inputs from the resource").
 */
import type { KubeObject } from '../../../pkg/kube/types.ts';

export interface OwnerIdentity {
  apiVersion: string;
  kind: string;
  uid: string;
}

export interface MappingSubject {
  namespace: string;
  /** Without a leading `/`: the core group is written `v1`. */
  apiVersion: string;
  kind: string;
  /** The `kappnav.subkind` annotation, lower-cased; '' when absent. */
  subkind: string;
  name: string;
  owners: OwnerIdentity[];
}

export const SUBKIND_ANNOTATION = 'kappnav.subkind';

/** The resource's subkind as kAppNav uses it everywhere (map names, Job labels): lower-cased, '' when absent. */
export function subkindOf(resource: KubeObject): string {
  const value = resource.metadata?.annotations?.[SUBKIND_ANNOTATION];
  return typeof value === 'string' ? value.toLowerCase() : '';
}

/** `/v1` (how kAppNav writes core apiVersions) is `v1` for matching. */
export function normalizeApiVersion(apiVersion: string): string {
  return apiVersion.startsWith('/') && apiVersion.length > 1 ? apiVersion.slice(1) : apiVersion;
}

export interface SubjectOptions {
  /** Used when the resource carries no apiVersion (e.g. the preview API, or a kind-derived default). */
  defaultApiVersion?: string;
}

export function mappingSubjectOf(resource: KubeObject, options: SubjectOptions = {}): MappingSubject {
  const metadata = resource.metadata;
  const owners = (Array.isArray(metadata?.ownerReferences) ? metadata.ownerReferences : []).map((ref) => ({
    apiVersion: typeof ref?.apiVersion === 'string' ? ref.apiVersion : '',
    kind: typeof ref?.kind === 'string' ? ref.kind : '',
    uid: typeof ref?.uid === 'string' ? ref.uid : '',
  }));
  return {
    namespace: metadata?.namespace || 'default',
    apiVersion: normalizeApiVersion(resource.apiVersion || options.defaultApiVersion || ''),
    kind: resource.kind ?? '',
    subkind: subkindOf(resource),
    name: metadata?.name ?? '',
    owners,
  };
}
