/**
 * The resourceVersions this server issues: one counter for every served resource, as etcd's revision is
 * one counter for a whole cluster, so a list's resourceVersion orders it against every later change.
 *
 * The counter starts from the start time (microseconds), so a resourceVersion issued by an earlier run or
 * by another replica is older than anything this one keeps (or newer than it has reached); either way a
 * watch that resumes from it gets 410 Expired and re-lists, instead of silently missing changes.
 */
export class RevisionClock {
  private value: number;

  constructor(start = Date.now() * 1000) {
    this.value = start;
  }

  /** The latest revision issued. */
  get current(): number {
    return this.value;
  }

  next(): number {
    this.value += 1;
    return this.value;
  }
}
