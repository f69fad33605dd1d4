/**
 * The discovery documents, derived from the resource definitions:
 *   /apis                         APIGroupList, or APIGroupDiscoveryList (aggregated discovery v2; v2beta1
 *                                 is no longer served by kube-apiserver 1.37 either)
 *   /apis/prism.kappnav.io        APIGroup
 *   /apis/prism.kappnav.io/v1     APIResourceList (what the aggregator's availability probe reads)
 *   /api                          APIVersions with no versions: this server serves no core group
 * They are static, so discovery never waits on anything, not even on caches syncing.
 */
import { PRISM_GROUP, PRISM_GROUP_VERSION, PRISM_VERSION } from '../../features/kappnav/prism/api-group.ts';
import type { ResourceDefinition } from '../rest/resource-definition.ts';

const GROUP_VERSION = { groupVersion: PRISM_GROUP_VERSION, version: PRISM_VERSION };

export function apiGroup() {
  return {
    kind: 'APIGroup',
    apiVersion: 'v1',
    name: PRISM_GROUP,
    versions: [GROUP_VERSION],
    preferredVersion: GROUP_VERSION,
  };
}

export function apiGroupList() {
  const { kind: _kind, apiVersion: _apiVersion, ...group } = apiGroup();
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: [group] };
}

/** Empty lists are left out, as Go's `omitempty` leaves them out. */
function names(field: 'shortNames' | 'categories', values: readonly string[]) {
  return values.length > 0 ? { [field]: [...values] } : {};
}

export function apiResourceList(definitions: readonly ResourceDefinition[]) {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: PRISM_GROUP_VERSION,
    resources: definitions.map((d) => ({
      name: d.resource,
      singularName: d.singularName,
      namespaced: d.namespaced,
      kind: d.kind,
      verbs: [...d.verbs],
      ...names('shortNames', d.shortNames),
      ...names('categories', d.categories),
    })),
  };
}

export type AggregatedDiscoveryVersion = 'v2';

function discoveryList(version: AggregatedDiscoveryVersion, items: object[]) {
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}

export function apiGroupDiscoveryList(
  definitions: readonly ResourceDefinition[],
  version: AggregatedDiscoveryVersion,
) {
  return discoveryList(version, [
    {
      metadata: { name: PRISM_GROUP },
      versions: [
        {
          version: PRISM_VERSION,
          resources: definitions.map((d) => ({
            resource: d.resource,
            // Empty group and version: the same as the group version the resource is listed under.
            responseKind: { group: '', version: '', kind: d.kind },
            scope: d.namespaced ? 'Namespaced' : 'Cluster',
            singularResource: d.singularName,
            verbs: [...d.verbs],
            ...names('shortNames', d.shortNames),
            ...names('categories', d.categories),
          })),
          freshness: 'Current',
        },
      ],
    },
  ]);
}

/** `/api`: the legacy core group root, which this server does not serve. */
export function legacyApiVersions() {
  return { kind: 'APIVersions', versions: [], serverAddressByClientCIDRs: [] };
}

export function emptyDiscoveryList(version: AggregatedDiscoveryVersion) {
  return discoveryList(version, []);
}
