/**
 * CRD objects for unit tests of what prismgate writes into a status: prismgate's own CRDs as shipped, and
 * CRDs shaped as the Vimana operator generates them (controller-gen: a status of `conditions` only, an
 * atomic list). The operator's CRD files are never copied into this repository; the e2e tests install the
 * real ones, built from the shared folder.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { VIMANA_RESOURCES } from '../../../features/vimana/resource-types.ts';
import type { VimanaKind } from '../../../features/vimana/types.ts';

/** prismgate's CRD of a kind, from manifests/crds. */
export function prismgateCrd(kind: VimanaKind): KubeObject {
  const file = new URL(
    `../../../manifests/crds/api.vimana.host_${VIMANA_RESOURCES[kind].resource}.yaml`,
    import.meta.url,
  );
  return parse(readFileSync(file, 'utf8')) as KubeObject;
}

/** metav1.Condition as controller-gen renders it (the fields that matter for pruning). */
const CONDITION_ITEM = {
  type: 'object',
  required: ['lastTransitionTime', 'message', 'reason', 'status', 'type'],
  properties: {
    lastTransitionTime: { type: 'string', format: 'date-time' },
    message: { type: 'string', maxLength: 32768 },
    observedGeneration: { type: 'integer', format: 'int64', minimum: 0 },
    reason: { type: 'string', minLength: 1, maxLength: 1024 },
    status: { type: 'string', enum: ['True', 'False', 'Unknown'] },
    type: { type: 'string', maxLength: 316 },
  },
};

/** A CRD of the operator's shape, with its `status` schema replaced when given (`null`: none). */
export function operatorShapedCrd(
  kind: VimanaKind,
  options: { status?: Record<string, unknown> | null; subresource?: boolean; generation?: number } = {},
): KubeObject {
  const status =
    options.status === undefined
      ? { type: 'object', properties: { conditions: { type: 'array', items: CONDITION_ITEM } } }
      : options.status;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${VIMANA_RESOURCES[kind].resource}.api.vimana.host`,
      generation: options.generation ?? 1,
    },
    spec: {
      group: 'api.vimana.host',
      names: { kind, plural: VIMANA_RESOURCES[kind].resource },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1alpha1',
          served: true,
          storage: true,
          ...(options.subresource !== false && { subresources: { status: {} } }),
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: { spec: { type: 'object' }, ...(status && { status }) },
            },
          },
        },
      ],
    },
    status: { conditions: [{ type: 'Established', status: 'True' }] },
  };
}
