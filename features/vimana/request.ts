/** The part of an `admission.k8s.io/v1` AdmissionRequest this module reads, and which requests it owns. */
import { VIMANA_GROUP, VIMANA_KINDS, type VimanaKind } from './types.ts';

/** Pass the AdmissionRequest as it is; only these fields are read. */
export interface VimanaAdmissionRequest {
  operation: string;
  kind: { group: string; kind: string };
  subResource?: string;
  namespace?: string;
  name?: string;
  object?: unknown;
  oldObject?: unknown;
}

/** The Vimana kind named by a request's group and kind, or undefined for anything this module does not own. */
export function vimanaKind(kind: VimanaAdmissionRequest['kind'] | undefined): VimanaKind | undefined {
  if (kind?.group !== VIMANA_GROUP) return undefined;
  return VIMANA_KINDS.find((candidate) => candidate === kind.kind);
}

/** The Vimana kind of a request on the main resource (not a subresource such as `status`). */
export function vimanaKindOf(
  request: Pick<VimanaAdmissionRequest, 'kind' | 'subResource'>,
): VimanaKind | undefined {
  // Status writes (the operator's included) are never judged or mutated by spec invariants.
  return request.subResource ? undefined : vimanaKind(request.kind);
}
