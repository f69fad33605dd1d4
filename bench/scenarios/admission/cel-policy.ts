/**
 * The Vimana rules CEL can express (peers/cel-rules.ts) as in-process ValidatingAdmissionPolicies of
 * kube-apiserver: what a cluster could run instead of a webhook for the single-object rules. The admission
 * scenario compares prismgate's end-to-end cost with this.
 */
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { CEL_RULES } from '../../peers/cel-rules.ts';

/** Namespaces with this label are judged by the policies below. */
export const CEL_LABEL = 'bench.prismgate.kappnav.io/cel';

const ADMISSION_REGISTRATION = 'admissionregistration.k8s.io/v1';

/** The policies and their bindings (to namespaces labelled CEL_LABEL=true), to create in this order. */
export function celPolicyObjects(): KubeObject[] {
  return Object.entries(CEL_RULES).flatMap(([name, { resource, validations }]) => [
    {
      apiVersion: ADMISSION_REGISTRATION,
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: `bench-vimana-${name}` },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: [
            {
              apiGroups: ['api.vimana.host'],
              apiVersions: ['v1alpha1'],
              resources: [resource],
              operations: ['CREATE', 'UPDATE'],
            },
          ],
        },
        validations,
      },
    },
    {
      apiVersion: ADMISSION_REGISTRATION,
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: `bench-vimana-${name}` },
      spec: {
        policyName: `bench-vimana-${name}`,
        validationActions: ['Deny'],
        matchResources: { namespaceSelector: { matchLabels: { [CEL_LABEL]: 'true' } } },
      },
    },
  ]);
}

/** Where a policy or binding of celPolicyObjects() lives. */
export function celPolicyPath(object: KubeObject): string {
  const resource =
    object.kind === 'ValidatingAdmissionPolicy'
      ? 'validatingadmissionpolicies'
      : 'validatingadmissionpolicybindings';
  return `/apis/admissionregistration.k8s.io/v1/${resource}/${object.metadata?.name}`;
}
