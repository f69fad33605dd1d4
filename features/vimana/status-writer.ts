/**
 * Keeps prismgate's part of every Vimana object's status current (vimana-invariants.md §3.3, §3.5).
 *
 * Status set on CREATE is dropped by the API server (§3.0), and a status depends on other objects (a
 * Component appearing clears its Server's `missingComponents`; a Domain's aliases are its Vimana's
 * listeners), so a webhook alone cannot keep it right: this step of the namespace pass recomputes it.
 *
 * It writes only what is prismgate's and only what the installed schema keeps (status-fields.ts), by
 * server-side apply as field manager STATUS_FIELD_MANAGER without force, and nothing when nothing would
 * change. What the API server refuses (a conflict, an invalid value) is not sent again until it changes.
 */
import { isBeingDeleted, readString } from './fields.ts';
import type { InstalledStatusSchema } from './installed-schema.ts';
import type { ReconcileStep, StoredObject, WriteGate, WriteResult } from './reconciler.ts';
import type { VimanaClusterView } from './cluster-view.ts';
import { computeVimanaStatus } from './status.ts';
import { statusIntent } from './status-fields.ts';
import type { VimanaKind } from './types.ts';

export interface StatusApply {
  kind: VimanaKind;
  namespace: string;
  name: string;
  /** The version the status was computed from: a newer one makes the write fail as stale. */
  resourceVersion: string;
  /** `status` of the apply configuration. */
  status: Record<string, unknown>;
}

/** What to take out of a status that prismgate no longer holds (StatusIntent `removal`). */
export interface StatusRemoval {
  kind: VimanaKind;
  namespace: string;
  name: string;
  resourceVersion: string;
  /** A JSON merge patch of `status`. */
  status: Record<string, unknown>;
}

export interface StatusWriterOptions {
  view: VimanaClusterView;
  /** The installed status schema of a kind; undefined while its CRD is not installed (nothing written). */
  schemaOf: (kind: VimanaKind) => InstalledStatusSchema | undefined;
  /** Server-side apply of `status` as prismgate's field manager, without force. */
  applyStatus: (apply: StatusApply) => Promise<WriteResult>;
  /** Takes out what prismgate no longer holds (a merge patch guarded by the version read). */
  removeStatusFields: (removal: StatusRemoval) => Promise<WriteResult>;
  now?: () => Date;
}

/** The outcomes after which the same status is not sent again until it changes, and what to log. */
const REFUSALS: Partial<Record<WriteResult['outcome'], string>> = {
  conflict: 'status fields are held by another field manager; prismgate does not force them',
  invalid: 'the API server refused prismgate’s status; it is not sent again until it changes',
  pruned:
    'the API server pruned status fields its CRD declares (a schema change it does not serve yet); ' +
    'not sent again until the status or the CRD changes',
};

/** Refusals remembered at most: one per object that has one. */
const MAX_REFUSALS = 10_000;

export class StatusWriter implements ReconcileStep {
  /** What the API server refused per object: the same status is not sent again until it changes. */
  private readonly refused = new Map<string, string>();

  constructor(private readonly options: StatusWriterOptions) {}

  async reconcile(target: StoredObject, gate: WriteGate): Promise<void> {
    const { kind, namespace, name, object } = target;
    const schema = this.options.schemaOf(kind);
    const resourceVersion = readString(object, 'metadata.resourceVersion');
    // An object on its way out is not worth a write that could only delay its finalizers.
    if (!schema || !resourceVersion || isBeingDeleted(object)) return;
    const now = this.options.now?.() ?? new Date();
    const computed = computeVimanaStatus(kind, namespace, object, this.options.view, now);
    const intent = statusIntent(kind, object, computed, schema);
    if (intent.yielded.length > 0) {
      gate.metrics.yielded.inc({ kind }, intent.yielded.length);
      gate.report(target, 'yielded', () =>
        gate.log.info(
          { kind, namespace, name, fields: intent.yielded },
          'status fields held by another field manager are left to it',
        ),
      );
    }
    if (intent.removal) {
      // The resulting event brings the next pass, which applies whatever else is due.
      const removal = { kind, namespace, name, resourceVersion, status: intent.removal };
      await gate.write(target, 'status', () => this.options.removeStatusFields(removal));
      return;
    }
    const key = `${kind}/${namespace}/${name}`;
    const fingerprint = JSON.stringify(intent.status);
    if (!intent.changes || this.refused.get(key) === fingerprint) return;
    const apply = { kind, namespace, name, resourceVersion, status: intent.status };
    const result = await gate.write(target, 'status', () => this.options.applyStatus(apply));
    const refusal = result && REFUSALS[result.outcome];
    if (!refusal) {
      if (result) this.refused.delete(key);
      return;
    }
    this.refused.set(key, fingerprint);
    if (this.refused.size > MAX_REFUSALS) this.refused.delete(this.refused.keys().next().value!);
    gate.report(target, result.outcome, () =>
      gate.log.warn({ kind, namespace, name, reason: result.message }, refusal),
    );
  }

  /**
   * Forgets what was refused: the schema changed, so what was pruned or invalid before may be kept now.
   * Called when a CRD changes, before every namespace is passed again.
   */
  forgetRefusals(): void {
    this.refused.clear();
  }
}
