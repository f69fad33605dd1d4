/** The resources the policy feature reads and writes: its two policy kinds and the policy reports. */
import type { ResourceType } from '../../pkg/kube/resource-type.ts';
import {
  CLUSTER_POLICY_KIND,
  NAMESPACED_POLICY_KIND,
  POLICY_GROUP,
  POLICY_VERSION,
} from './engine/policy.ts';

export const CLUSTER_POLICIES: ResourceType = {
  group: POLICY_GROUP,
  version: POLICY_VERSION,
  resource: 'clusteradmissionpolicies',
  kind: CLUSTER_POLICY_KIND,
  namespaced: false,
};

export const NAMESPACED_POLICIES: ResourceType = {
  group: POLICY_GROUP,
  version: POLICY_VERSION,
  resource: 'admissionpolicies',
  kind: NAMESPACED_POLICY_KIND,
  namespaced: true,
};

/** wgpolicyk8s.io v1alpha2, the shape Kyverno, Kubewarden and the Policy Reporter UI read. */
export const POLICY_REPORTS: ResourceType = {
  group: 'wgpolicyk8s.io',
  version: 'v1alpha2',
  resource: 'policyreports',
  kind: 'PolicyReport',
  namespaced: true,
};

export const CLUSTER_POLICY_REPORTS: ResourceType = {
  group: 'wgpolicyk8s.io',
  version: 'v1alpha2',
  resource: 'clusterpolicyreports',
  kind: 'ClusterPolicyReport',
  namespaced: false,
};
