/**
 * The bound on a JSONPath evaluation, by construction: every node the evaluation reaches, every child it
 * enumerates and every filter it tests costs a unit of work, counted as it goes. Memory follows the same
 * count (a node held costs a unit when it is reached), so a path that would select exponentially many
 * nodes (`$..*..*..*..*` over a deeply nested object) stops with a JsonPathLimitExceeded after a bounded
 * amount of work and memory, instead of taking the process's heap.
 *
 * A meter may be shared by several evaluations (a policy's whole evaluation shares one), and calls its
 * `checkpoint` every CHECKPOINT_UNITS units: the policy engine checks its time budget there, so the
 * budget applies inside a long walk too, not only between its steps.
 */

export interface WorkLimits {
  /** Units of work for everything evaluated with this meter. */
  readonly steps: number;
  /** Nodes one path may select. */
  readonly results: number;
}

/**
 * The defaults: a few tens of milliseconds of walking at most, and at most a few MiB of nodes held (a
 * result costs about a hundred bytes; its steps are worked out only when asked for).
 */
export const DEFAULT_LIMITS: WorkLimits = { steps: 200_000, results: 10_000 };

/** How often the checkpoint runs: rarely enough to cost nothing, often enough to stop within ~1 ms. */
const CHECKPOINT_UNITS = 4096;

/** An evaluation would have exceeded its limits; the caller maps it to its own failure mode. */
export class JsonPathLimitExceeded extends Error {
  override readonly name = 'JsonPathLimitExceeded';

  constructor(
    /** What ran out: `steps` of work, `results` of one path, `characters` of kubectl output. */
    readonly exhausted: 'steps' | 'results' | 'characters',
    readonly limit: number,
    /** The path (or template) that ran out, when known. */
    readonly path?: string,
  ) {
    super(
      `${path === undefined ? 'the evaluation' : `JSONPath ${path}`} ${
        exhausted === 'steps'
          ? `needs more than ${limit} steps${path === undefined ? ' of work' : ''} over this object`
          : exhausted === 'results'
            ? `selects more than ${limit} nodes of this object`
            : `prints more than ${limit} characters`
      }`,
    );
  }

  /** The same error, naming the path when it did not yet. */
  naming(path: string): JsonPathLimitExceeded {
    return this.path === undefined ? new JsonPathLimitExceeded(this.exhausted, this.limit, path) : this;
  }
}

export class WorkMeter {
  private used = 0;
  private nextCheckpoint: number;

  constructor(
    readonly limits: WorkLimits = DEFAULT_LIMITS,
    private readonly checkpoint?: () => void,
  ) {
    this.nextCheckpoint = this.next();
  }

  /** Counts `units` of work; throws when the limit is passed (checked every few thousand units). */
  spend(units: number): void {
    this.used += units;
    if (this.used >= this.nextCheckpoint) this.reachedCheckpoint();
  }

  get spent(): number {
    return this.used;
  }

  private next(): number {
    return Math.min(this.used + CHECKPOINT_UNITS, this.limits.steps + 1);
  }

  private reachedCheckpoint(): void {
    this.nextCheckpoint = this.next();
    if (this.used > this.limits.steps) throw new JsonPathLimitExceeded('steps', this.limits.steps);
    this.checkpoint?.();
  }
}
