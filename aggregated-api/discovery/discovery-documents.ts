/**
 * The discovery documents, derived from the resource definitions:
 *   /apis                         APIGroupList, or APIGroupDiscoveryList (aggregated discovery v2/v2beta1)
 *   /apis/<group>                 APIGroup
 *   /apis/<group>/<version>       APIResourceList (what the aggregator's availability probe reads)
 *   /api                          APIVersions with no versions: this server serves no core group
 * They are static, so discovery never waits on anything, not even on caches syncing.
 */
import { apiVersionOf, type GroupVersion } from '../resource/group-version.ts';
import type { ResourceDefinition } from '../resource/resource-definition.ts';

export function apiGroup(served: GroupVersion) {
  const version = { groupVersion: apiVersionOf(served), version: served.version };
  return {
    kind: 'APIGroup',
    apiVersion: 'v1',
    name: served.group,
    versions: [version],
    preferredVersion: version,
  };
}

export function apiGroupList(served: GroupVersion) {
  const { kind: _kind, apiVersion: _apiVersion, ...group } = apiGroup(served);
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: [group] };
}

/** Empty lists are left out, as Go's `omitempty` leaves them out. */
function names(field: 'shortNames' | 'categories', values: readonly string[]) {
  return values.length > 0 ? { [field]: [...values] } : {};
}

export function apiResourceList(served: GroupVersion, definitions: readonly ResourceDefinition[]) {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf(served),
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

export type AggregatedDiscoveryVersion = 'v2' | 'v2beta1';

function discoveryList(version: AggregatedDiscoveryVersion, items: object[]) {
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}

export function apiGroupDiscoveryList(
  served: GroupVersion,
  definitions: readonly ResourceDefinition[],
  version: AggregatedDiscoveryVersion,
) {
  return discoveryList(version, [
    {
      metadata: { name: served.group },
      versions: [
        {
          version: served.version,
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
