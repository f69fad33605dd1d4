/**
 * In-use protection of Vimana objects (D1-D4), the way Kubernetes protects a PersistentVolumeClaim: the
 * mutating webhook puts IN_USE_FINALIZER on every object it admits (as the StorageObjectInUseProtection
 * admission plugin does), this step puts it on objects created before prismgate, and, once an object is
 * being deleted, takes it off as soon as nothing uses it any more (rules/deletion.ts `inUse`). So a
 * delete is never refused: `kubectl delete -f` of a whole manifest, in any order, ends with nothing left.
 *
 * The finalizer never blocks a namespace's deletion (in a terminating namespace it comes off at once) and
 * never outlives prismgate: deregistering prismgate takes it off every object (`releaseAll`), and
 * `prismgate release-finalizers` does the same for a cluster whose prismgate is gone
 * (docs/vimana-operator.md, the finalizer runbook).
 */
import { isBeingDeleted, readPath, readString } from './fields.ts';
import type { VimanaClusterView } from './cluster-view.ts';
import type { ReconcileStep, StoredObject, WriteGate, WriteResult } from './reconciler.ts';
import { inUse } from './rules/deletion.ts';
import type { VimanaKind } from './types.ts';

export const IN_USE_FINALIZER = 'prismgate.kappnav.io/in-use-protection';

/** The field manager of prismgate's finalizer writes. */
export const PROTECTION_FIELD_MANAGER = 'prismgate-vimana-protection';

export interface FinalizerPatch {
  kind: VimanaKind;
  namespace: string;
  name: string;
  /** The version the finalizers were read from: a newer one makes the write fail as stale. */
  resourceVersion: string;
  /** The object's whole new finalizer list (other controllers' finalizers kept as they were). */
  finalizers: string[];
}

export function finalizersOf(object: unknown): string[] {
  const finalizers = readPath(object, 'metadata.finalizers');
  return Array.isArray(finalizers) ? finalizers.filter((f): f is string => typeof f === 'string') : [];
}

/** A JSON merge patch that sets the finalizers, guarded by the version they were read from. */
export function finalizerMergePatch(patch: Pick<FinalizerPatch, 'resourceVersion' | 'finalizers'>): object {
  return { metadata: { resourceVersion: patch.resourceVersion, finalizers: patch.finalizers } };
}

/** The patch that takes prismgate's finalizer off a stored object, or undefined when it has none. */
export function releasePatch(
  target: Omit<StoredObject, 'object'>,
  object: unknown,
): FinalizerPatch | undefined {
  const finalizers = finalizersOf(object);
  const resourceVersion = readString(object, 'metadata.resourceVersion');
  if (!finalizers.includes(IN_USE_FINALIZER) || !resourceVersion) return undefined;
  return { ...target, resourceVersion, finalizers: finalizers.filter((f) => f !== IN_USE_FINALIZER) };
}

export interface InUseProtectionOptions {
  view: VimanaClusterView;
  patchFinalizers: (patch: FinalizerPatch) => Promise<WriteResult>;
}

export class InUseProtection implements ReconcileStep {
  constructor(private readonly options: InUseProtectionOptions) {}

  /** The finalizer change one stored object needs now, if any. */
  patchFor(target: StoredObject): FinalizerPatch | undefined {
    const { kind, namespace, name, object } = target;
    const terminating = this.options.view.isNamespaceTerminating(namespace);
    if (isBeingDeleted(object)) {
      const held = !terminating && inUse(kind, namespace, object, this.options.view).length > 0;
      return held ? undefined : releasePatch({ kind, namespace, name }, object);
    }
    const finalizers = finalizersOf(object);
    const resourceVersion = readString(object, 'metadata.resourceVersion');
    // No new finalizer in a namespace on its way out: the namespace controller is deleting everything.
    if (terminating || finalizers.includes(IN_USE_FINALIZER) || !resourceVersion) return undefined;
    return { kind, namespace, name, resourceVersion, finalizers: [...finalizers, IN_USE_FINALIZER] };
  }

  async reconcile(target: StoredObject, gate: WriteGate): Promise<void> {
    const patch = this.patchFor(target);
    if (patch) await gate.write(target, 'finalizer', () => this.options.patchFinalizers(patch));
  }
}
