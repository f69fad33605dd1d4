/**
 * At most once per interval per key: a log line about a loop is written once a minute per object, not at
 * the loop's own rate. Keys whose interval has passed are dropped once more than `maxKeys` are held.
 */
export class OncePerInterval {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly maxKeys = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True the first time for a key, then again only once `intervalMs` has passed. */
  allow(key: string): boolean {
    const now = this.now();
    if ((this.last.get(key) ?? -Infinity) > now - this.intervalMs) return false;
    this.last.set(key, now);
    if (this.last.size > this.maxKeys)
      for (const [entry, at] of this.last) if (at <= now - this.intervalMs) this.last.delete(entry);
    return true;
  }
}
