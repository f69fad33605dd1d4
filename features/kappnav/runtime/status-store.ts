/**
 * Stores kAppNav statuses in the cluster: the three `kappnav.status.*` annotations, sent as a JSON merge
 * patch of only those that differ. Nothing else of the object is sent (no resourceVersion, no spec), so
 * a status write never conflicts with, or undoes, anybody's edit of the object, and an object that already
 * holds its status costs no request.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeApiError, type KubeClient } from '../../../pkg/kube/kube-client.ts';
import { objectPath } from '../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import type { ResourceRegistry } from '../model/component-kinds.ts';
import type { ObjectChange } from '../model/application-graph.ts';
import { objectIdentity, referenceOf } from '../model/object-identity.ts';
import type { KappnavStatus } from '../status/kappnav-status.ts';
import { statusAnnotationChange, statusAnnotations, toMergePatch } from '../status/status-annotations.ts';

/** Sends a merge patch to `object`; resolves quietly when the object is gone. */
export type MergePatcher = (object: KubeObject, patch: object) => Promise<void>;

const ECHO_POLL_MS = 5;

/**
 * Whether an object "holds its status already" is read from the informers, which learn of a write a few
 * milliseconds after it: in between, a value written a moment ago (Warning) still looks like the older
 * one (Problem), and a computation that arrives at that older value again would write nothing, leaving
 * Warning stored. So the store remembers its writes until an informer event shows them (`noteEcho`), and
 * the next computation first waits for that (`echoes`).
 *
 * The reconciler's batches and lifecycle events both compare and write, so they take turns
 * (`exclusive`), each after the informers show the writes of the one before.
 */
export class StatusStore {
  /** Annotations written, by object, until an informer event shows them. */
  private readonly unechoed = new Map<string, Record<string, string>>();
  /** The work that writes last, or last wrote. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly patch: MergePatcher) {}

  /**
   * Runs `work` after the work before it, once the informers show that work's writes (at most
   * `echoWaitMs` later), and keeps the work after it waiting until it is done.
   */
  exclusive<T>(work: () => Promise<T>, echoWaitMs = 1000): Promise<T> {
    const result = this.tail.then(() => this.echoes(echoWaitMs)).then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Stores `status` on `object` unless its annotations hold it already; true when it wrote. */
  async store(object: KubeObject, status: KappnavStatus): Promise<boolean> {
    const change = statusAnnotationChange(object.metadata?.annotations, status);
    if (!change) return false;
    const key = objectIdentity(object);
    // Expected before the write is sent: the watch may deliver the echo before the response arrives.
    this.unechoed.set(key, statusAnnotations(status));
    try {
      await this.patch(object, toMergePatch(change));
    } catch (error) {
      this.unechoed.delete(key);
      throw error;
    }
    return true;
  }

  /** Takes note of an informer event: a write it shows (or an object gone) is no longer awaited. */
  noteEcho(change: ObjectChange): void {
    const version = change.new ?? change.old;
    if (this.unechoed.size === 0 || !version) return;
    const key = objectIdentity(version);
    const written = this.unechoed.get(key);
    const annotations = change.new?.metadata?.annotations;
    if (written && (!change.new || Object.entries(written).every(([k, v]) => annotations?.[k] === v)))
      this.unechoed.delete(key);
  }

  /** Resolves when the informers have shown every write, or after `maxWaitMs`. */
  async echoes(maxWaitMs: number): Promise<void> {
    const deadline = Date.now() + maxWaitMs;
    while (this.unechoed.size > 0 && Date.now() < deadline) await sleep(ECHO_POLL_MS);
    // A write the server found made already sends no event; past the deadline nothing is awaited.
    this.unechoed.clear();
  }
}

export function kubeMergePatcher(
  client: Pick<KubeClient, 'request'>,
  registry: ResourceRegistry,
): MergePatcher {
  return async (object, patch) => {
    const { group, kind, namespace, name } = referenceOf(object);
    const type = registry.forKind(group, kind);
    if (!type) return; // The kind is no longer served, so the object is gone too.
    try {
      await client.request('PATCH', objectPath(type, namespace, name), {
        body: patch,
        contentType: 'application/merge-patch+json',
      });
    } catch (error) {
      if (!(error instanceof KubeApiError && error.code === 404)) throw error;
    }
  };
}
