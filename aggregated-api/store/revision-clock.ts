/**
 * The resourceVersions this server issues: one counter for every served resource, as etcd's revision is
 * one counter for a whole cluster, so a list's resourceVersion orders it against every later change.
 *
 * The counter starts from the start time (microseconds), so a resourceVersion issued by an earlier run or
 * by another replica is older than anything this one keeps (or newer than it has reached); either way a
 * watch that resumes from it gets 410 Expired and re-lists, instead of silently missing changes.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** How long a request for a resourceVersion not reached yet waits (kube-apiserver's watch cache: 3 s). */
const FRESHNESS_WAIT_MS = 3_000;

export class RevisionClock {
  private value: number;

  constructor(start = Date.now() * 1000) {
    this.value = start;
  }

  /** The latest revision issued. */
  get current(): number {
    return this.value;
  }

  /** Waits until the clock reaches `revision`; false when it did not within the wait. */
  async reached(revision: number, waitMs = FRESHNESS_WAIT_MS): Promise<boolean> {
    const deadline = Date.now() + waitMs;
    while (this.value < revision) {
      if (Date.now() >= deadline) return false;
      await sleep(25);
    }
    return true;
  }

  next(): number {
    this.value += 1;
    return this.value;
  }
}
