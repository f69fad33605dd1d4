/**
 * The Vimana admission module: rules, mutations and computed status for `api.vimana.host/v1alpha1`, all
 * pure functions over an AdmissionRequest and a cluster view. The webhook server wires these to its
 * routes; the informer-backed `VimanaClusterView` is implemented next to the caches.
 */
export { VIMANA_RULES } from './catalogue.ts';
export {
  InMemoryClusterView,
  type ClusterContents,
  type GeneratedKind,
  type GeneratedState,
  type ObjectRef,
  type VimanaClusterView,
} from './cluster-view.ts';
export { evaluateVimana, formatEvaluation, type Evaluation } from './evaluate.ts';
export { mutateVimana, type MutationOptions, type MutationResult } from './mutate.ts';
export { LABEL_DOMAIN, LABEL_SERVER, LABEL_VERSION } from './names.ts';
export { vimanaKind, vimanaKindOf, type VimanaAdmissionRequest } from './request.ts';
export type { RuleContext, VimanaRule } from './rules/rule.ts';
export {
  computeVimanaStatus,
  setAvailableCondition,
  type AvailableVerdict,
  type ComputedVimanaStatus,
} from './status.ts';
export type { Component, Domain, Server, Vimana, VimanaKind, VimanaObject } from './types.ts';
export { VIMANA_GROUP, VIMANA_KINDS } from './types.ts';
export { formatViolation, type RuleId, type Severity, type Violation } from './violation.ts';
