/**
 * A readable resource whose objects are a projection of the kAppNav model: after every recomputation the
 * projection is handed to the store, which turns what changed into watch events and resourceVersions.
 */
import type { KubeObject } from '../../../../pkg/kube/types.ts';
import type { ReadRequirement } from '../../../../aggregated-api/authz/read-access.ts';
import type { ModelView, PrismModel } from '../model/prism-model.ts';
import type { ResourceDefinition } from '../../../../aggregated-api/resource/resource-definition.ts';
import type { ReadableResource } from '../../../../aggregated-api/resource/served-resource.ts';
import type { RevisionClock } from '../../../../aggregated-api/store/revision-clock.ts';
import { VersionedStore } from '../../../../aggregated-api/store/versioned-store.ts';

export interface Projection<T extends KubeObject> {
  definition: ResourceDefinition<T>;
  project(view: ModelView): Iterable<T>;
  readRequirements(object: T): ReadRequirement[];
  lookup?(namespace: string | undefined, name: string): Promise<T | undefined>;
}

export function projectedResource<T extends KubeObject>(
  projection: Projection<T>,
  model: PrismModel,
  clock: RevisionClock,
  staleness: () => string[],
): ReadableResource<T> {
  const store = new VersionedStore<T>(clock);
  model.onUpdate((view) => store.replaceAll(projection.project(view)));
  return {
    definition: projection.definition,
    store,
    readRequirements: (object) => projection.readRequirements(object),
    staleness,
    ...(projection.lookup ? { lookup: projection.lookup } : {}),
  };
}
