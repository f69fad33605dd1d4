/**
 * The reconciler's work queue: informer changes coalesced per object, plus the two requests that are not
 * about one object (recompute everything; refresh the served kinds first).
 *
 * Several changes of one object within a batching window are one change, from the version the last batch
 * saw to the newest: what the object looked like in between was never stored as anybody's status. The
 * queue is bounded; past its capacity it stops keeping objects and asks for everything to be recomputed,
 * which costs one full pass instead of unbounded memory.
 */
import type { ObjectChange } from '../model/application-graph.ts';
import { objectIdentity } from '../model/object-identity.ts';

export interface Work {
  changes: ObjectChange[];
  /** Informer events taken, before coalescing. */
  events: number;
  everything: boolean;
  rediscover: boolean;
}

export class ChangeQueue {
  private changes = new Map<string, ObjectChange>();
  private events = 0;
  private everything = false;
  private rediscover = false;

  constructor(private readonly capacity: number) {}

  get empty(): boolean {
    return this.changes.size === 0 && !this.everything && !this.rediscover;
  }

  add(change: ObjectChange): void {
    this.events += 1;
    if (this.everything) return;
    const version = change.new ?? change.old;
    if (!version) return;
    const key = objectIdentity(version);
    const queued = this.changes.get(key);
    if (queued) {
      // A deletion keeps the version a batch may have counted, so its ancestors are found.
      const old = queued.old ?? (change.new ? undefined : queued.new);
      this.changes.set(key, { ...(old ? { old } : {}), ...(change.new ? { new: change.new } : {}) });
      return;
    }
    if (this.changes.size >= this.capacity) {
      this.recomputeEverything();
      return;
    }
    this.changes.set(key, change);
  }

  recomputeEverything(): void {
    this.everything = true;
    this.changes.clear();
  }

  refreshKinds(): void {
    this.rediscover = true;
  }

  /** Everything queued, leaving the queue empty. */
  take(): Work {
    const work: Work = {
      changes: [...this.changes.values()],
      events: this.events,
      everything: this.everything,
      rediscover: this.rediscover,
    };
    this.changes = new Map();
    this.events = 0;
    this.everything = false;
    this.rediscover = false;
    return work;
  }
}
