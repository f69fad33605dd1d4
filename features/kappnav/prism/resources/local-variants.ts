/**
 * Namespaced variants of the cluster-scoped create-only resources (issue 15, finding 12), as Kubernetes
 * serves LocalSubjectAccessReview beside SubjectAccessReview: `localactionresolutions`,
 * `localmappingpreviews` and `locallifecycleevents` answer exactly as `actionresolutions`,
 * `mappingpreviews` and `lifecycleevents` do, for resources of the request's namespace only. RBAC grants
 * a cluster-scoped resource only through a ClusterRoleBinding; these a RoleBinding grants, in its own
 * namespace, so `edit` in `dev` lets a team resolve actions in `dev` and nowhere else
 * (manifests/deploy/user-roles.yaml).
 *
 * `spec.resource.namespace` must be the request's namespace, as LocalSubjectAccessReview's
 * `spec.resourceAttributes.namespace` must match its `metadata.namespace` (422, in its words); left out,
 * it is the request's namespace. A kind that is cluster-scoped is refused: its resolutions and events stay
 * on the cluster-scoped variants, which only a ClusterRoleBinding grants.
 */
import type { KubeObject } from '../../../../pkg/kube/types.ts';
import { invalid } from '../../../../server/api-error.ts';
import { invalid as fieldInvalid } from '../../../../pkg/validation/field-errors.ts';
import { PRISM_GROUP } from '../api-group.ts';
import type { ResourceDefinition } from '../../../../aggregated-api/resource/resource-definition.ts';
import type {
  CreatableResource,
  CreateRequest,
} from '../../../../aggregated-api/resource/served-resource.ts';
import { servedType, type KindDiscovery } from '../../cluster/object-reader.ts';
import type { ResourceReference } from '../actions/action-context.ts';

/** The namespaced definition of a cluster-scoped create-only resource: `local<resource>`, `Local<Kind>`. */
export function localDefinition<T extends KubeObject>(cluster: ResourceDefinition<T>): ResourceDefinition<T> {
  return {
    ...cluster,
    resource: `local${cluster.resource}`,
    singularName: `local${cluster.singularName}`,
    kind: `Local${cluster.kind}`,
    namespaced: true,
    description: `${cluster.description} Namespaced variant of ${cluster.resource}: for resources of its own namespace only, so that a RoleBinding grants it there.`,
  };
}

export interface LocalVariantOptions {
  /** Refuses references to cluster-scoped kinds (resolutions, lifecycle events; not previews). */
  namespacedKindsOnly?: KindDiscovery;
}

/** `create`, built with the local definition, behind the check that keeps it to its namespace. */
export class LocalVariant<T extends KubeObject> implements CreatableResource<T> {
  readonly definition: ResourceDefinition<T>;

  constructor(
    private readonly inner: CreatableResource<T>,
    private readonly options: LocalVariantOptions = {},
  ) {
    this.definition = inner.definition;
  }

  async create(request: CreateRequest): Promise<T> {
    const namespace = request.namespace ?? '';
    const { kind } = this.definition;
    const name = request.body.metadata?.name ?? '';
    const spec = (request.body['spec'] ?? {}) as Record<string, unknown>;
    const resource = (spec['resource'] ?? {}) as Partial<ResourceReference>;
    const field = 'spec.resource.namespace';
    if (resource.namespace !== undefined && resource.namespace !== '' && resource.namespace !== namespace)
      throw invalid({ group: PRISM_GROUP, kind }, name, [
        fieldInvalid(field, resource.namespace, 'must match metadata.namespace'),
      ]);
    const discovery = this.options.namespacedKindsOnly;
    const type =
      discovery && typeof resource.kind === 'string'
        ? servedType(discovery, resource.kind, resource.apiVersion || undefined)
        : undefined;
    if (type && !type.namespaced)
      throw invalid({ group: PRISM_GROUP, kind }, name, [
        fieldInvalid(
          'spec.resource.kind',
          resource.kind,
          `${type.kind} is cluster-scoped; a ${kind} is for resources of its namespace`,
        ),
      ]);
    const answer = await this.inner.create({
      ...request,
      body: { ...request.body, spec: { ...spec, resource: { ...resource, namespace } } },
    });
    return { ...answer, metadata: { ...answer.metadata, namespace } };
  }
}
