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
import type { ResourceType } from '../../../../pkg/kube/resource-type.ts';
import type { KubeObject, ObjectMeta } from '../../../../pkg/kube/types.ts';
import { PRISM_GROUP_VERSION } from '../api-group.ts';
import type { Insight, PrismModel } from '../model/prism-model.ts';
import { object } from '../../../../aggregated-api/resource/json-schema.ts';
import type { ResourceDefinition } from '../../../../aggregated-api/resource/resource-definition.ts';
import { ageColumn, nameColumn } from '../../../../aggregated-api/table/table.ts';
import type { ObjectReference } from './components.ts';
import { aboutResource } from './resource-names.ts';
import {
  perResourceDefinition,
  perResourceProjection,
  type QualifiedNameLookup,
} from './resource-projection.ts';
import type { Projection } from './projected-resource.ts';
import {
  flyoverColumn,
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

export const RESOURCE_STATUSES: ResourceDefinition<ResourceStatus> = perResourceDefinition({
  resource: 'resourcestatuses',
  singularName: 'resourcestatus',
  kind: 'ResourceStatus',
  shortNames: ['rstatus'],
  description:
    'ResourceStatus is the computed kAppNav status of one resource, named <kind>[.<group>]:<name> (for example deployment.apps:web). Read-only.',
  status: object('The kAppNav status of the resource.', STATUS_FIELD_SCHEMAS),
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
});

function resourceStatus(
  insight: Pick<Insight, 'object' | 'status'>,
  type: Pick<ResourceType, 'resource'>,
): ResourceStatus {
  const { object: resource, status } = insight;
  return {
    apiVersion: PRISM_GROUP_VERSION,
    kind: RESOURCE_STATUSES.kind,
    ...aboutResource(resource, type, 'status'),
    status: statusFields(status),
  };
}

export interface ResourceStatusLookup extends QualifiedNameLookup {
  model: Pick<PrismModel, 'evaluation'>;
}

export function resourceStatusesProjection(lookup: ResourceStatusLookup): Projection<ResourceStatus> {
  return perResourceProjection(RESOURCE_STATUSES, lookup, {
    tracked: ({ insight, type }) => resourceStatus(insight, type),
    async named(resource, type) {
      const [status] = await lookup.model.evaluation().statusesOf([resource]);
      return resourceStatus({ object: resource, status: status! }, type);
    },
  });
}
