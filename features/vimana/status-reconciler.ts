/**
 * Keeps the computed status of every Vimana object current (vimana-invariants.md §3.3, §3.5).
 *
 * Status set on CREATE is dropped by the API server (§3.0), and a status depends on other objects (a
 * Component appearing clears its Server's `missingComponents`; a Domain's aliases are its Vimana's
 * listeners), so a webhook alone cannot keep it right. References between the kinds never leave a
 * namespace, so a change anywhere in a namespace queues that namespace, and one pass recomputes each of
 * its objects. The pass patches only what changed, only the fields prismgate owns, and only the version
 * it read (a merge patch carrying `resourceVersion`), so it never overwrites another writer: a conflict
 * means the cache is behind, and the namespace is retried once it caught up.
 *
 * It acts on informer events only, so a dry-run request, which is never stored, causes nothing here.
 */
import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Logger } from 'pino';
import { WorkQueue } from '../../pkg/kube/work-queue.ts';
import type { VimanaClusterView } from './cluster-view.ts';
import { isBeingDeleted, readPath, readString } from './fields.ts';
import { computeVimanaStatus } from './status.ts';
import { computedStatusPatch } from './status-fields.ts';
import { VIMANA_GROUP, VIMANA_KINDS, type VimanaKind, type VimanaObject } from './types.ts';

export interface StatusPatch {
  kind: VimanaKind;
  namespace: string;
  name: string;
  /** A JSON merge patch for the status subresource, with the `resourceVersion` it was computed from. */
  body: { metadata: { resourceVersion: string }; status: Record<string, unknown> };
}

export interface StatusReconcilerOptions {
  view: VimanaClusterView;
  /** Sends a patch to the status subresource; resolves quietly when the object is gone or changed since. */
  patchStatus: (patch: StatusPatch) => Promise<void>;
  log: Logger;
  now?: () => Date;
}

/**
 * How long a namespace's changes gather before its pass: an apply of many objects, or a spec write and the
 * status write that follows it, then cost one pass, not one per event.
 */
const COALESCE_MS = 100;

/**
 * A pass runs on the thread that answers admission reviews; it yields to the event loop once it has
 * computed for this long, so that however many objects a namespace holds (and whatever one costs), a
 * review arriving meanwhile waits at most about this long. Yielding is cheap (a few microseconds).
 */
const SLICE_MS = 0.5;

export class VimanaStatusReconciler {
  private readonly queue: WorkQueue<string>;

  constructor(private readonly options: StatusReconcilerOptions) {
    this.queue = new WorkQueue({
      process: (namespace) => this.reconcile(namespace),
      log: options.log,
      delayMs: COALESCE_MS,
    });
  }

  /** Queues a namespace for a pass; namespaces queued before `start()` wait for it. */
  enqueue(namespace: string): void {
    if (namespace) this.queue.add(namespace);
  }

  /** Starts the passes; call once the view's caches have synced, or statuses are computed from half a cluster. */
  start(): void {
    this.queue.start();
  }

  whenIdle(): Promise<void> {
    return this.queue.whenIdle();
  }

  stop(): Promise<void> {
    return this.queue.stop();
  }

  /** One pass over a namespace. */
  async reconcile(namespace: string): Promise<void> {
    let sliceStarted = performance.now();
    for (const kind of VIMANA_KINDS) {
      for (const object of objectsOf(this.options.view, kind, namespace)) {
        const patch = this.patchFor(kind, namespace, object);
        // Not a yield by itself: a replica that is not the leader resolves it at once.
        if (patch) await this.options.patchStatus(patch);
        if (performance.now() - sliceStarted >= SLICE_MS) {
          await yieldToEventLoop();
          sliceStarted = performance.now();
        }
      }
    }
  }

  private patchFor(kind: VimanaKind, namespace: string, object: VimanaObject): StatusPatch | undefined {
    const name = readString(object, 'metadata.name');
    const resourceVersion = readString(object, 'metadata.resourceVersion');
    // An object on its way out is not worth a write that could only delay its finalizers.
    if (!name || !resourceVersion || isBeingDeleted(object)) return undefined;
    const now = this.options.now?.() ?? new Date();
    const computed = computeVimanaStatus(
      { kind: { group: VIMANA_GROUP, kind }, namespace, object },
      this.options.view,
      now,
    );
    const status = computed && computedStatusPatch(kind, readPath(object, 'status'), computed);
    return status ? { kind, namespace, name, body: { metadata: { resourceVersion }, status } } : undefined;
  }
}

function objectsOf(view: VimanaClusterView, kind: VimanaKind, namespace: string): readonly VimanaObject[] {
  switch (kind) {
    case 'Vimana':
      return view.vimanas(namespace);
    case 'Domain':
      return view.domains(namespace);
    case 'Server':
      return view.servers(namespace);
    case 'Component':
      return view.components(namespace);
  }
}
