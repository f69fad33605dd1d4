/**
 * The objects of one served resource, materialised: each derived object (an application with its status,
 * one component of an application, …) is stored with the revision at which it last changed, and every
 * change is kept in a bounded log, so that
 *   - list and get read memory, never the API server;
 *   - a watch resumes from any resourceVersion still in the log, and gets 410 Expired for an older one
 *     (what kube-apiserver's watch cache does);
 *   - paginated lists (`limit`/`continue`) read one consistent snapshot, and a list may ask for the state
 *     at any resourceVersion the log still reaches back to (`resourceVersionMatch=Exact`): the state then
 *     is the current one with the later changes undone. A continue token therefore stays valid until its
 *     revision falls out of the log (2,000 changes), as kube-apiserver's do until etcd compacts them.
 *
 * Producers hand in the complete current set (`replaceAll`); the store works out what changed by content,
 * so recomputing everything after an unrelated event produces no events and no new resourceVersions.
 */
import { objectKey, type KubeObject } from '../../pkg/kube/types.ts';
import type { RevisionClock } from './revision-clock.ts';

export type StoreEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent<T extends KubeObject> {
  type: StoreEventType;
  object: T;
  /** The previous version, for MODIFIED and DELETED. */
  old?: T;
  revision: number;
}

export interface Snapshot<T extends KubeObject> {
  revision: number;
  /** Ordered by namespace, then name, as kube-apiserver orders lists. */
  items: readonly T[];
}

export type StoreListener<T extends KubeObject> = (event: StoreEvent<T>) => void;

export interface StoreOptions {
  /** Changes kept for resuming watches. */
  logCapacity?: number;
  /** Snapshots kept for continuing paginated lists. */
  snapshotCapacity?: number;
}

interface Entry<T> {
  object: T;
  /** The object without its resourceVersion, as JSON: what "changed" compares. */
  fingerprint: string;
}

export type WatchStart<T extends KubeObject> =
  | { ok: true; backlog: StoreEvent<T>[]; unsubscribe: () => void }
  /** `horizon`: the oldest revision a watch may still resume from. */
  | { ok: false; reason: 'expired'; horizon: number };

/** The reading side of a store: what the list, get and watch handlers use. */
export interface ObjectStore<T extends KubeObject> {
  get(namespace: string | undefined, name: string): T | undefined;
  snapshot(): Snapshot<T>;
  /** The objects as they were at `revision`; undefined when the log no longer reaches back to it. */
  stateAt(revision: number): Snapshot<T> | undefined;
  retain(snapshot: Snapshot<T>): void;
  watchFrom(revision: number, listener: StoreListener<T>): WatchStart<T>;
}

function fingerprintOf(object: KubeObject): string {
  const { resourceVersion: _ignored, ...metadata } = object.metadata ?? {};
  return JSON.stringify({ ...object, metadata });
}

function withRevision<T extends KubeObject>(object: T, revision: number): T {
  return { ...object, metadata: { ...object.metadata, resourceVersion: String(revision) } };
}

const keyOrder = (a: KubeObject, b: KubeObject): number => {
  const ka = objectKey(a.metadata?.namespace, a.metadata?.name);
  const kb = objectKey(b.metadata?.namespace, b.metadata?.name);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

export class VersionedStore<T extends KubeObject> implements ObjectStore<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly log: StoreEvent<T>[] = [];
  /** Watches may resume from this revision or later: everything after it is in the log. */
  private horizon: number;
  private readonly listeners = new Set<StoreListener<T>>();
  private readonly snapshots = new Map<number, Snapshot<T>>();
  /** The sorted objects, reused by every list until the next change. */
  private sorted: readonly T[] | undefined;
  private readonly logCapacity: number;
  private readonly snapshotCapacity: number;

  constructor(
    private readonly clock: RevisionClock,
    options: StoreOptions = {},
  ) {
    this.horizon = clock.current;
    this.logCapacity = options.logCapacity ?? 2000;
    this.snapshotCapacity = options.snapshotCapacity ?? 16;
  }

  get size(): number {
    return this.entries.size;
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.entries.get(objectKey(namespace, name))?.object;
  }

  /** Makes `objects` the content of the store; returns the changes, which listeners have also received. */
  replaceAll(objects: Iterable<T>): StoreEvent<T>[] {
    const next = new Map<string, { object: T; fingerprint: string }>();
    for (const object of objects) {
      next.set(objectKey(object.metadata?.namespace, object.metadata?.name), {
        object,
        fingerprint: fingerprintOf(object),
      });
    }
    const events: StoreEvent<T>[] = [];
    for (const [key, entry] of this.entries) {
      if (next.has(key)) continue;
      this.entries.delete(key);
      const revision = this.clock.next();
      events.push({
        type: 'DELETED',
        object: withRevision(entry.object, revision),
        old: entry.object,
        revision,
      });
    }
    for (const [key, candidate] of next) {
      const current = this.entries.get(key);
      if (current?.fingerprint === candidate.fingerprint) continue;
      const revision = this.clock.next();
      const object = withRevision(candidate.object, revision);
      this.entries.set(key, { object, fingerprint: candidate.fingerprint });
      events.push(
        current
          ? { type: 'MODIFIED', object, old: current.object, revision }
          : { type: 'ADDED', object, revision },
      );
    }
    for (const event of events) this.record(event);
    return events;
  }

  private record(event: StoreEvent<T>): void {
    this.sorted = undefined;
    this.log.push(event);
    if (this.log.length > this.logCapacity) this.horizon = this.log.shift()!.revision;
    for (const listener of this.listeners) listener(event);
  }

  /** Every object now, at the current revision. */
  snapshot(): Snapshot<T> {
    this.sorted ??= [...this.entries.values()].map((e) => e.object).sort(keyOrder);
    return { revision: this.clock.current, items: this.sorted };
  }

  /** Keeps `snapshot` for the `continue` of a paginated list (the oldest kept one is dropped). */
  retain(snapshot: Snapshot<T>): void {
    this.snapshots.set(snapshot.revision, snapshot);
    if (this.snapshots.size > this.snapshotCapacity)
      this.snapshots.delete(this.snapshots.keys().next().value!);
  }

  /**
   * The objects as they were at `revision` (ordered): a snapshot kept for a paginated list, else the
   * current state with the logged changes after `revision` undone. Undefined for a revision before the
   * log's horizon, or one not issued yet.
   */
  stateAt(revision: number): Snapshot<T> | undefined {
    const kept = this.snapshots.get(revision);
    if (kept) return kept;
    if (revision > this.clock.current || revision < this.horizon) return undefined;
    const objects = new Map([...this.entries].map(([key, entry]) => [key, entry.object]));
    for (let i = this.log.length - 1; i >= 0 && this.log[i]!.revision > revision; i--) {
      const event = this.log[i]!;
      const key = objectKey(event.object.metadata?.namespace, event.object.metadata?.name);
      if (event.type === 'ADDED') objects.delete(key);
      else objects.set(key, event.old!);
    }
    const snapshot = { revision, items: [...objects.values()].sort(keyOrder) };
    this.retain(snapshot);
    return snapshot;
  }

  /**
   * Starts a watch after `revision`: the logged changes since then, and `listener` for what follows. A
   * revision not reached yet waits for the changes after it, as kube-apiserver's watch cache does. Fails
   * when the changes since `revision` are no longer all kept.
   */
  watchFrom(revision: number, listener: StoreListener<T>): WatchStart<T> {
    if (revision < this.horizon) return { ok: false, reason: 'expired', horizon: this.horizon };
    const backlog = this.log.filter((event) => event.revision > revision);
    const after: StoreListener<T> = (event) => {
      if (event.revision > revision) listener(event);
    };
    this.listeners.add(after);
    return { ok: true, backlog, unsubscribe: () => this.listeners.delete(after) };
  }
}
