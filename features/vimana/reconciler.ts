/**
 * The one background pass of the Vimana feature: what prismgate keeps on each stored Vimana object (its
 * part of the status, its in-use finalizer) is brought up to date namespace by namespace.
 *
 * References between the kinds never leave a namespace, so a change anywhere in a namespace queues that
 * namespace, and one pass runs each step over each of its objects. Every write goes through a WriteGate:
 * a per-object, per-kind-of-write rate limit that bounds any loop (another writer undoing what prismgate
 * writes), counts it in a metric and says so in the log, once a minute per object, not at its own rate.
 *
 * Only informer events drive it, so a dry-run request, which is never stored, causes nothing here.
 */
import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Logger } from 'pino';
import { WorkQueue } from '../../pkg/kube/work-queue.ts';
import { KeyRateLimiter } from '../../pkg/rate-limit/key-rate-limiter.ts';
import { OncePerInterval } from '../../pkg/rate-limit/once-per-interval.ts';
import { objectsOfKind, type VimanaClusterView } from './cluster-view.ts';
import { readString } from './fields.ts';
import { VIMANA_KINDS, type VimanaKind, type VimanaObject } from './types.ts';
import { VimanaMetrics, type WriteOutcome } from './vimana-metrics.ts';

/** The two things prismgate writes to Vimana objects. */
export type WriteKind = 'status' | 'finalizer';

/** What became of a write; for refusals, the API server's words. */
export interface WriteResult {
  outcome: WriteOutcome;
  message?: string;
}

export interface StoredObject {
  kind: VimanaKind;
  namespace: string;
  name: string;
  object: VimanaObject;
}

/** One duty of the pass, run for every stored object of the kinds whose CRDs are installed. */
export interface ReconcileStep {
  reconcile(target: StoredObject, gate: WriteGate): Promise<void>;
}

/** A log line per object and reason at most this often: a loop is reported, not logged at its own rate. */
const REPORT_INTERVAL_MS = 60_000;

/**
 * A change of one object rewrites a handful of others once (its Vimana's status, its Server's); ten
 * writes of one kind to one object within a minute mean a loop, not a change.
 */
export const DEFAULT_RATE_LIMIT = { burst: 10, perMinute: 10 };

/** Every write of the pass goes through here: rate limited per object, counted, its failures reported. */
export class WriteGate {
  private readonly limiter: KeyRateLimiter;
  private readonly reported = new OncePerInterval(REPORT_INTERVAL_MS);

  constructor(
    readonly log: Logger,
    readonly metrics: VimanaMetrics,
    private readonly retryLater: (namespace: string, delayMs: number) => void,
    rateLimit: { burst: number; perMinute: number },
  ) {
    this.limiter = new KeyRateLimiter(rateLimit);
  }

  /** Sends a write unless the object's rate is spent (it is then tried again once allowed). */
  async write(
    target: StoredObject,
    write: WriteKind,
    send: () => Promise<WriteResult>,
  ): Promise<WriteResult | undefined> {
    const { kind, namespace, name } = target;
    const decision = this.limiter.take(`${write}:${kind}/${namespace}/${name}`);
    if (!decision.allowed) {
      this.metrics.limited.inc({ kind, write });
      this.report(target, `limited-${write}`, () =>
        this.log.warn(
          { kind, namespace, name, write, retryAfterMs: decision.retryAfterMs },
          `${write} writes to this object are rate limited: something keeps undoing what prismgate writes ` +
            '(prismgate_vimana_writes_rate_limited_total)',
        ),
      );
      this.retryLater(namespace, decision.retryAfterMs);
      return undefined;
    }
    const result = await send();
    this.metrics.writes.inc({ kind, write, outcome: result.outcome });
    return result;
  }

  /** Runs `log` for this object and reason at most once per REPORT_INTERVAL_MS. */
  report(target: Pick<StoredObject, 'kind' | 'namespace' | 'name'>, reason: string, log: () => void): void {
    if (this.reported.allow(`${reason}:${target.kind}/${target.namespace}/${target.name}`)) log();
  }
}

export interface VimanaReconcilerOptions {
  view: VimanaClusterView;
  steps: readonly ReconcileStep[];
  /** Whether a kind's CRD is installed: a kind without one has no objects worth a step. */
  installed: (kind: VimanaKind) => boolean;
  /** Whether this replica writes (leads); a pass of one that does not is skipped. Always, by default. */
  active?: () => boolean;
  log: Logger;
  metrics?: VimanaMetrics;
  rateLimit?: { burst: number; perMinute: number };
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

export class VimanaReconciler {
  private readonly queue: WorkQueue<string>;
  readonly gate: WriteGate;

  constructor(private readonly options: VimanaReconcilerOptions) {
    this.queue = new WorkQueue({
      process: (namespace) => this.reconcile(namespace),
      log: options.log,
      delayMs: COALESCE_MS,
    });
    this.gate = new WriteGate(
      options.log,
      options.metrics ?? new VimanaMetrics(),
      (namespace, delayMs) => this.queue.addAfter(namespace, delayMs),
      options.rateLimit ?? DEFAULT_RATE_LIMIT,
    );
  }

  /** Queues a namespace for a pass; namespaces queued before `start()` wait for it. */
  enqueue(namespace: string): void {
    if (namespace) this.queue.add(namespace);
  }

  /** Starts the passes; call once the view's caches have synced, or work is done from half a cluster. */
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
    if (this.options.active && !this.options.active()) return;
    let sliceStarted = performance.now();
    for (const kind of VIMANA_KINDS) {
      if (!this.options.installed(kind)) continue;
      for (const object of objectsOfKind(this.options.view, kind, namespace)) {
        const name = readString(object, 'metadata.name');
        if (!name) continue;
        // Not a yield by itself: a replica that is not the leader resolves each write at once.
        for (const step of this.options.steps)
          await step.reconcile({ kind, namespace, name, object }, this.gate);
        if (performance.now() - sliceStarted >= SLICE_MS) {
          await yieldToEventLoop();
          sliceStarted = performance.now();
        }
      }
    }
  }
}
