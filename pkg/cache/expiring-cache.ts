/**
 * A cache whose entries expire after a fixed time, and which runs one computation per key at a time:
 * concurrent requests for the same key share the computation in flight (a burst of identical
 * SubjectAccessReviews or TokenReviews costs the API server one call). Failed computations are not kept.
 */
export class ExpiringCache<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>();
  private readonly inFlight = new Map<string, Promise<V>>();

  constructor(
    /** How long an entry lives: fixed, or by its value (a TokenReview's rejection lives shorter than a user). */
    private readonly ttlMs: number | ((value: V) => number),
    /** Entries kept at most; the oldest go first. */
    private readonly capacity = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** Whether `key` is answered without computing (held and current, or in flight). */
  has(key: string): boolean {
    const entry = this.entries.get(key);
    return (entry !== undefined && entry.expires > this.now()) || this.inFlight.has(key);
  }

  async get(key: string, compute: () => Promise<V>): Promise<V> {
    const entry = this.entries.get(key);
    if (entry && entry.expires > this.now()) return entry.value;
    const running = this.inFlight.get(key);
    if (running) return running;
    const computation = compute()
      .then((value) => {
        this.entries.delete(key);
        const ttl = typeof this.ttlMs === 'number' ? this.ttlMs : this.ttlMs(value);
        this.entries.set(key, { value, expires: this.now() + ttl });
        if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
        return value;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, computation);
    return computation;
  }
}
