/** The AdmissionReview kube-apiserver sends a webhook for the CREATE of `object`, as a JSON body. */
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../../pkg/kube/types.ts';

export interface ReviewedType {
  group: string;
  version: string;
  kind: string;
  /** The plural resource name. */
  resource: string;
}

export function createReview(object: KubeObject, { group, version, kind, resource }: ReviewedType): string {
  const gvk = { group, version, kind };
  const gvr = { group, version, resource };
  return JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: randomUUID(),
      kind: gvk,
      resource: gvr,
      requestKind: gvk,
      requestResource: gvr,
      name: object.metadata?.name,
      namespace: object.metadata?.namespace,
      operation: 'CREATE',
      userInfo: { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] },
      object,
      oldObject: null,
      dryRun: false,
      options: {
        apiVersion: 'meta.k8s.io/v1',
        kind: 'CreateOptions',
        fieldManager: 'kubectl-client-side-apply',
      },
    },
  });
}
