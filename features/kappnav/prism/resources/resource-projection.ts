/**
 * The projection of a kind of prism object about one resource each (ResourceStatus, ActionMap): listed
 * for the resources kAppNav tracks, got by qualified name (`deployment.apps:web`) for any namespaced
 * resource, computed on demand, and visible to whoever may read the resource.
 */
import type { ApiDiscovery } from '../../../../pkg/kube/api-discovery.ts';
import type { ResourceType } from '../../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../../pkg/kube/types.ts';
import { object, type JsonSchema } from '../../../../aggregated-api/resource/json-schema.ts';
import type { ResourceDefinition } from '../../../../aggregated-api/resource/resource-definition.ts';
import type { ObjectReader } from '../../cluster/object-reader.ts';
import { trackedInsights, type ModelView, type TrackedInsight } from '../model/prism-model.ts';
import { REFERENCE_SCHEMA, referenceReadRequirement, type ObjectReference } from './components.ts';
import type { Projection } from './projected-resource.ts';
import { parseQualifiedName } from './resource-names.ts';

type AboutResource = KubeObject & { spec: { resource: ObjectReference } };

/** The definition of such a kind: namespaced, read-only, `spec.resource` naming the resource. */
export function perResourceDefinition<T extends AboutResource>(
  definition: Pick<
    ResourceDefinition<T>,
    'resource' | 'singularName' | 'kind' | 'shortNames' | 'description' | 'columns' | 'selectableFields'
  > & { status: JsonSchema },
): ResourceDefinition<T> {
  const { status, ...named } = definition;
  return {
    ...named,
    categories: [],
    namespaced: true,
    verbs: ['get', 'list', 'watch'],
    properties: { spec: object('Which resource.', { resource: REFERENCE_SCHEMA }), status },
  };
}

/** What reading the resource a qualified name names needs. */
export interface QualifiedNameLookup {
  reader: Pick<ObjectReader, 'read'>;
  discovery: Pick<ApiDiscovery, 'all'>;
}

export interface PerResource<T> {
  /** The object about a tracked resource, from the model's view. */
  tracked(tracked: TrackedInsight, view: ModelView): T;
  /** The object about a resource named in a get, read from the watch cache when its kind is watched. */
  named(resource: KubeObject, type: ResourceType): T | Promise<T>;
}

export function perResourceProjection<T extends AboutResource>(
  definition: ResourceDefinition<T>,
  lookup: QualifiedNameLookup,
  about: PerResource<T>,
): Projection<T> {
  return {
    definition,
    project: (view) => trackedInsights(view).map((tracked) => about.tracked(tracked, view)),
    readRequirements: (object) => [referenceReadRequirement(object.spec.resource)],
    async lookup(namespace, name) {
      const named = parseQualifiedName(lookup.discovery, name);
      if (!named || namespace === undefined) return undefined;
      const resource = await lookup.reader.read(named.type, namespace, named.name);
      return resource && about.named(resource, named.type);
    },
  };
}
