/**
 * `prismnamespaces` (kind PrismNamespace, short name `pns`, cluster-scoped): the namespaces, as the seed
 * API passed them through for the kAppNav UI, with the number of applications in each. A user sees the
 * namespaces they may get.
 */
import { CORE_TYPES } from '../../../../pkg/kube/resource-type.ts';
import type { KubeObject, ObjectMeta } from '../../../../pkg/kube/types.ts';
import { PRISM_GROUP_VERSION } from '../api-group.ts';
import type { ReadRequirement } from '../../../../aggregated-api/authz/read-access.ts';
import type { ModelView } from '../model/prism-model.ts';
import { freeForm, integer, object, string } from '../../../../aggregated-api/resource/json-schema.ts';
import type { ResourceDefinition } from '../../../../aggregated-api/resource/resource-definition.ts';
import { ageColumn, nameColumn } from '../../../../aggregated-api/table/table.ts';
import type { Projection } from './projected-resource.ts';
import { carriedMetadata } from './projection.ts';

export interface PrismNamespace extends KubeObject {
  metadata: ObjectMeta;
  spec: Record<string, unknown>;
  status: { phase: string; applicationCount: number };
}

export const NAMESPACES: ResourceDefinition<PrismNamespace> = {
  resource: 'prismnamespaces',
  singularName: 'prismnamespace',
  kind: 'PrismNamespace',
  shortNames: ['pns'],
  categories: ['prism'],
  namespaced: false,
  verbs: ['get', 'list', 'watch'],
  description:
    'PrismNamespace is a namespace as kAppNav shows it: the Namespace and how many applications it holds. Read-only.',
  properties: {
    spec: freeForm('The spec of the Namespace.'),
    status: object('The phase of the Namespace and its applications.', {
      phase: string('Active or Terminating.'),
      applicationCount: integer('How many kAppNav applications (not hidden) are in the namespace.'),
    }),
  },
  columns: [
    nameColumn(),
    {
      name: 'Status',
      type: 'string',
      format: '',
      description: 'The phase of the namespace.',
      priority: 0,
      cell: (n) => n.status.phase,
    },
    {
      name: 'Applications',
      type: 'integer',
      format: '',
      description: 'The number of applications in the namespace.',
      priority: 0,
      cell: (n) => n.status.applicationCount,
    },
    ageColumn(),
  ],
  selectableFields: { 'status.phase': (n) => n.status.phase },
};

/**
 * `get` of the namespace. kube-apiserver authorizes `get namespaces/x` with namespace `x`, so a Role inside
 * `x` may grant it; the review asks the same way.
 */
export function namespaceReadRequirement(name: string): ReadRequirement {
  return {
    group: CORE_TYPES.namespaces.group,
    resource: CORE_TYPES.namespaces.resource,
    namespace: name,
    name,
  };
}

function projectNamespaces(view: ModelView): PrismNamespace[] {
  const counts = new Map<string, number>();
  for (const { application } of view.applications)
    if (!application.hidden) counts.set(application.namespace, (counts.get(application.namespace) ?? 0) + 1);
  return view.namespaces.map((namespace) => {
    const { name = '', uid, creationTimestamp } = namespace.metadata ?? {};
    const phase = (namespace.status as { phase?: string } | undefined)?.phase ?? '';
    return {
      apiVersion: PRISM_GROUP_VERSION,
      kind: NAMESPACES.kind,
      metadata: {
        name,
        ...(uid ? { uid } : {}),
        ...(creationTimestamp ? { creationTimestamp } : {}),
        ...carriedMetadata(namespace),
      },
      spec: (namespace.spec ?? {}) as Record<string, unknown>,
      status: { phase, applicationCount: counts.get(name) ?? 0 },
    };
  });
}

export const namespacesProjection: Projection<PrismNamespace> = {
  definition: NAMESPACES,
  project: projectNamespaces,
  readRequirements: (n) => [namespaceReadRequirement(n.metadata.name ?? '')],
};
