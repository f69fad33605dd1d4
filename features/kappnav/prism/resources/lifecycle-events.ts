/**
 * `lifecycleevents` (kind LifecycleEvent, create-only like SubjectAccessReview): the seed's status
 * management API that "consumes a lifecycle event for a specific resource": on Created or Updated, compute
 * the resource's kAppNav status and store it in its `kappnav.status.*` annotations, and for an application
 * do the same for everything it contains, nested applications included (cycle-safe); on Deleted, recompute
 * the applications that could have contained it. The applications containing the resource are recomputed
 * and stored too, since their status depends on it. The answer lists every status and whether it was
 * written (nothing is written when the annotations already hold it, or with `dryRun=All`). Only what
 * carries kAppNav status is computed (see `StatusLifecycle`, the runtime's lifecycle, which does the work).
 *
 * The caller must be allowed to `patch` the named resource (`get` for a dry run); prismgate's own account
 * writes the annotations, as the seed's status controller did.
 */
import type { ResourceType } from '../../../../pkg/kube/resource-type.ts';
import type { KubeObject, ObjectMeta } from '../../../../pkg/kube/types.ts';
import { PRISM_GROUP, PRISM_GROUP_VERSION } from '../api-group.ts';
import type { ResourceAttributes, Reviewer } from '../../../../server/delegated-auth/access-review.ts';
import { requireAccess } from '../../../../aggregated-api/authz/require-access.ts';
import { servedType, type KindDiscovery } from '../../cluster/object-reader.ts';
import {
  LIFECYCLE_EVENT_TYPES,
  type LifecycleEventType,
  type StatusLifecycle,
  type StoredStatus as ComputedStatus,
} from '../../runtime/status-lifecycle.ts';
import { object, string } from '../../../../aggregated-api/resource/json-schema.ts';
import type { ResourceDefinition } from '../../../../aggregated-api/resource/resource-definition.ts';
import type {
  CreatableResource,
  CreateRequest,
} from '../../../../aggregated-api/resource/served-resource.ts';
import type { ResourceReference } from '../actions/action-context.ts';
import { invalid } from '../../../../server/api-error.ts';
import { invalid as fieldInvalid, notSupported, required } from '../../../../pkg/validation/field-errors.ts';
import { nameColumn } from '../../../../aggregated-api/table/table.ts';
import { STATUS_FIELD_SCHEMAS, statusFields, type StatusFields } from './projection.ts';
import { readReference, RESOURCE_REFERENCE_SCHEMA, type Cause } from './request-fields.ts';

export interface StoredStatus extends StatusFields {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  /** True when the annotations were written; false when they already held this status, or on a dry run. */
  stored: boolean;
  /** Why the annotations could not be written. */
  error?: string;
}

export interface LifecycleEvent extends KubeObject {
  metadata: ObjectMeta;
  spec: { type: LifecycleEventType; resource: ResourceReference };
  status?: { statuses: StoredStatus[] };
}

export const LIFECYCLE_EVENTS: ResourceDefinition<LifecycleEvent> = {
  resource: 'lifecycleevents',
  singularName: 'lifecycleevent',
  kind: 'LifecycleEvent',
  shortNames: [],
  categories: [],
  namespaced: false,
  verbs: ['create'],
  description:
    'LifecycleEvent asks prismgate to compute and store the kAppNav status of a resource that was created, updated or deleted, and of the applications it belongs to (recursively for an application). Create-only; the answer carries the statuses.',
  properties: {
    spec: object('The event.', {
      type: {
        type: 'string',
        enum: [...LIFECYCLE_EVENT_TYPES],
        description: 'What happened to the resource: Created, Updated or Deleted.',
      },
      resource: { ...RESOURCE_REFERENCE_SCHEMA, description: 'The resource the event is about.' },
    }),
    status: object('What was computed and stored.', {
      statuses: {
        type: 'array',
        description:
          'The resource, the applications containing it and, for an application, everything it contains.',
        items: object('The status of one resource.', {
          apiVersion: string('APIVersion of the resource.'),
          kind: string('Kind of the resource.'),
          namespace: string('Namespace of the resource.'),
          name: string('Name of the resource.'),
          ...STATUS_FIELD_SCHEMAS,
          stored: { type: 'boolean', description: 'Whether the kappnav.status annotations were written.' },
          error: string('Why the annotations could not be written.'),
        }),
      },
    }),
  },
  columns: [nameColumn()],
  selectableFields: {},
};

export interface LifecycleDependencies {
  lifecycle: Pick<StatusLifecycle, 'recompute'>;
  discovery: KindDiscovery;
  reviewer: Reviewer;
}

/** One computed status as the answer lists it. */
function storedStatus({ object: target, status, written, error }: ComputedStatus): StoredStatus {
  const { namespace, name = '' } = target.metadata ?? {};
  return {
    apiVersion: target.apiVersion ?? '',
    kind: target.kind ?? '',
    ...(namespace ? { namespace } : {}),
    name,
    ...statusFields(status),
    stored: written,
    ...(error === undefined ? {} : { error }),
  };
}

function readEvent(
  body: KubeObject,
  kind: string,
): { type: LifecycleEventType; resource: ResourceReference } {
  const spec = (body.spec ?? {}) as { type?: unknown; resource?: unknown };
  const causes: Cause[] = [];
  if (spec.type === undefined || spec.type === '') causes.push(required('spec.type'));
  else if (!LIFECYCLE_EVENT_TYPES.includes(spec.type as LifecycleEventType))
    causes.push(notSupported('spec.type', spec.type, LIFECYCLE_EVENT_TYPES));
  const resource = readReference(spec.resource, 'spec.resource', causes);
  if (causes.length > 0) throw invalid({ group: PRISM_GROUP, kind }, body.metadata?.name ?? '', causes);
  return { type: spec.type as LifecycleEventType, resource };
}

export class LifecycleEvents implements CreatableResource<LifecycleEvent> {
  constructor(
    private readonly deps: LifecycleDependencies,
    /** LIFECYCLE_EVENTS, or its namespaced variant (local-variants.ts). */
    readonly definition: ResourceDefinition<LifecycleEvent> = LIFECYCLE_EVENTS,
  ) {}

  private resolveType(resource: ResourceReference): ResourceType {
    const type = servedType(this.deps.discovery, resource.kind, resource.apiVersion);
    if (!type)
      throw invalid({ group: PRISM_GROUP, kind: this.definition.kind }, '', [
        fieldInvalid(
          'spec.resource.kind',
          resource.kind,
          `the cluster serves no such kind${resource.apiVersion ? ` in ${resource.apiVersion}` : ''}`,
        ),
      ]);
    if (type.namespaced && !resource.namespace)
      throw invalid({ group: PRISM_GROUP, kind: this.definition.kind }, '', [
        required('spec.resource.namespace', `${type.kind} is namespaced`),
      ]);
    return type;
  }

  private async authorize(
    request: CreateRequest,
    type: ResourceType,
    resource: ResourceReference,
  ): Promise<void> {
    const attributes: ResourceAttributes = {
      verb: request.dryRun ? 'get' : 'patch',
      group: type.group,
      resource: type.resource,
      ...(type.namespaced ? { namespace: resource.namespace } : {}),
      name: resource.name,
    };
    await requireAccess(this.deps.reviewer, request.user, attributes, {
      verb: 'create',
      group: PRISM_GROUP,
      resource: this.definition.resource,
    });
  }

  async create(request: CreateRequest): Promise<LifecycleEvent> {
    const event = readEvent(request.body, this.definition.kind);
    const type = this.resolveType(event.resource);
    await this.authorize(request, type, event.resource);
    const { stored } = await this.deps.lifecycle.recompute(
      { type, namespace: event.resource.namespace, name: event.resource.name },
      { event: event.type, dryRun: request.dryRun },
    );
    return {
      apiVersion: PRISM_GROUP_VERSION,
      kind: this.definition.kind,
      metadata: { ...(request.body.metadata ?? {}), creationTimestamp: request.creationTimestamp },
      spec: event,
      status: { statuses: stored.map(storedStatus) },
    };
  }
}
