/**
 * `resourcestatuses` (kind ResourceStatus, short name `rstatus`): the computed kAppNav status of a
 * resource, what the seed's `GET /status/{name}/{kind}` answered. The name says which resource, like
 * kubectl's `deployment.apps/web` with a colon: `kubectl get rstatus deployment.apps:web -n prod`
 * (`service:web` for the core group; the plural works too: `deployments.apps:web`).
 *
 * Listing shows the resources kAppNav tracks (applications and their components); getting by name works
 * for any namespaced resource, computed on demand (from the watch cache when its kind is watched,
 * otherwise with one GET). A user sees a status when they may list the resource in its namespace.
 */
import type { ApiDiscovery } from '../../pkg/kube/api-discovery.ts';
import type { ResourceType } from '../../pkg/kube/resource-type.ts';
import type { KubeObject, ObjectMeta } from '../../pkg/kube/types.ts';
import { APPLICATION_TYPE } from '../../pkg/kappnav/application.ts';
import { PRISM_GROUP_VERSION } from '../api-group.ts';
import type { ObjectReader } from '../kappnav/object-reader.ts';
import type { Insight, ModelView, PrismModel } from '../kappnav/prism-model.ts';
import { object } from '../openapi/json-schema.ts';
import type { ResourceDefinition } from '../rest/resource-definition.ts';
import { ageColumn, nameColumn } from '../table/table.ts';
import { REFERENCE_SCHEMA, referenceReadRequirement, type ObjectReference } from './components.ts';
import type { Projection } from './projected-resource.ts';
import {
  derivedUid,
  flyoverColumn,
  groupOf,
  STATUS_FIELD_SCHEMAS,
  statusColumn,
  statusFields,
  type StatusFields,
} from './projection.ts';

export interface ResourceStatus extends KubeObject {
  metadata: ObjectMeta;
  spec: { resource: ObjectReference };
  status: StatusFields;
}

export const RESOURCE_STATUSES: ResourceDefinition<ResourceStatus> = {
  resource: 'resourcestatuses',
  singularName: 'resourcestatus',
  kind: 'ResourceStatus',
  shortNames: ['rstatus'],
  categories: [],
  namespaced: true,
  verbs: ['get', 'list', 'watch'],
  description:
    'ResourceStatus is the computed kAppNav status of one resource, named <kind>[.<group>]:<name> (for example deployment.apps:web). Read-only.',
  properties: {
    spec: object('Which resource.', { resource: REFERENCE_SCHEMA }),
    status: object('The kAppNav status of the resource.', STATUS_FIELD_SCHEMAS),
  },
  columns: [
    nameColumn(),
    statusColumn<ResourceStatus>((s) => s.status),
    flyoverColumn<ResourceStatus>((s) => s.status, 0),
    ageColumn(),
  ],
  selectableFields: {
    'spec.resource.kind': (s) => s.spec.resource.kind,
    'status.value': (s) => s.status.value,
  },
};

/** `deployment.apps:web`: the lower-case kind, its group unless core, and the resource's name. */
function resourceStatusName(resource: KubeObject): string {
  const group = groupOf(resource);
  return `${(resource.kind ?? '').toLowerCase()}${group ? `.${group}` : ''}:${resource.metadata?.name ?? ''}`;
}

function resourceStatus(
  insight: Pick<Insight, 'object' | 'status'>,
  type: Pick<ResourceType, 'resource'>,
): ResourceStatus {
  const { object: resource, status } = insight;
  const { namespace, name = '', uid, creationTimestamp } = resource.metadata ?? {};
  return {
    apiVersion: PRISM_GROUP_VERSION,
    kind: RESOURCE_STATUSES.kind,
    metadata: {
      name: resourceStatusName(resource),
      namespace,
      uid: derivedUid('status', uid ?? resourceStatusName(resource)),
      ...(creationTimestamp ? { creationTimestamp } : {}),
    },
    spec: {
      resource: {
        apiVersion: resource.apiVersion ?? '',
        kind: resource.kind ?? '',
        resource: type.resource,
        ...(namespace ? { namespace } : {}),
        name,
        ...(uid ? { uid } : {}),
      },
    },
    status: statusFields(status),
  };
}

function projectStatuses(view: ModelView): ResourceStatus[] {
  const statuses = new Map<string, ResourceStatus>();
  for (const application of view.applications) {
    const tracked: [Insight, Pick<ResourceType, 'resource'>][] = [
      [application, APPLICATION_TYPE],
      ...application.components.map((c): [Insight, ResourceType] => [c, c.type]),
    ];
    for (const [insight, type] of tracked) {
      if (!insight.object.metadata?.namespace) continue;
      const status = resourceStatus(insight, type);
      statuses.set(`${status.metadata.namespace}/${status.metadata.name}`, status);
    }
  }
  return [...statuses.values()];
}

export interface ResourceStatusLookup {
  model: PrismModel;
  reader: ObjectReader;
  discovery: Pick<ApiDiscovery, 'all'>;
}

/** The served type a `<kind>[.<group>]` name part means: a kind (any case) or a plural resource name. */
function typeNamed(discovery: Pick<ApiDiscovery, 'all'>, kindAndGroup: string): ResourceType | undefined {
  const dot = kindAndGroup.indexOf('.');
  const [kind, group] =
    dot < 0 ? [kindAndGroup, ''] : [kindAndGroup.slice(0, dot), kindAndGroup.slice(dot + 1)];
  const matches = discovery
    .all()
    .filter((t) => t.group === group && (t.kind.toLowerCase() === kind.toLowerCase() || t.resource === kind));
  return matches.find((t) => t.preferred) ?? matches[0];
}

export function resourceStatusesProjection(lookup: ResourceStatusLookup): Projection<ResourceStatus> {
  return {
    definition: RESOURCE_STATUSES,
    project: projectStatuses,
    readRequirements: (s) => [referenceReadRequirement(s.spec.resource)],
    async lookup(namespace, name) {
      const colon = name.indexOf(':');
      const type = colon > 0 ? typeNamed(lookup.discovery, name.slice(0, colon)) : undefined;
      if (!type || !type.namespaced || namespace === undefined) return undefined;
      const resource = await lookup.reader.read(type, namespace, name.slice(colon + 1));
      if (!resource) return undefined;
      const [status] = await lookup.model.evaluation().statusesOf([resource]);
      return resourceStatus({ object: resource, status: status! }, type);
    },
  };
}
