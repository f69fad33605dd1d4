/**
 * A coalescing work queue for reconcilers, as client-go's workqueue behaves: a key added while it is
 * pending is queued once, a key is never processed by two workers at once, and a key added while it is
 * being processed is processed again afterwards (so no change is lost). A key whose processing throws
 * comes back after an exponential backoff.
 *
 * Informer events arrive in bursts (an apply of many objects, a re-list, a status write right after a
 * spec write); coalescing turns a burst into one pass per key, and `delayMs` widens the window a burst
 * has to collapse in.
 */
import type { Logger } from 'pino';

export interface WorkQueueOptions<K> {
  process: (key: K) => Promise<void>;
  log: Logger;
  /** Keys processed at the same time; 1 by default. */
  concurrency?: number;
  /** A key added is processed no sooner than this later, with whatever else was added meanwhile; 0 by default. */
  delayMs?: number;
  /** Delay before the first retry of a failed key; doubles per consecutive failure. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
}

export class WorkQueue<K> {
  /** A Set keeps insertion order: keys are processed first in, first out. */
  private readonly pending = new Set<K>();
  /** The keys being processed, with their processing. */
  private readonly active = new Map<K, Promise<void>>();
  private readonly failures = new Map<K, number>();
  /** Keys waiting out `delayMs` or a retry backoff before they become pending. */
  private readonly delayed = new Set<K>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private idleWaiters: (() => void)[] = [];
  private started = false;
  private stopped = false;

  constructor(private readonly options: WorkQueueOptions<K>) {}

  /** Queues a key; keys added before `start()` wait for it. */
  add(key: K): void {
    if (this.stopped || this.pending.has(key) || this.delayed.has(key)) return;
    const delayMs = this.options.delayMs ?? 0;
    if (delayMs > 0) this.addLater(key, delayMs);
    else this.makePending(key);
  }

  /**
   * Queues a key no sooner than `delayMs` from now (a rate-limited write tried again once allowed); a key
   * already waiting keeps its earlier turn.
   */
  addAfter(key: K, delayMs: number): void {
    if (this.pending.has(key)) return;
    this.addLater(key, delayMs);
  }

  private makePending(key: K): void {
    this.pending.add(key);
    this.pump();
  }

  /** Starts processing. */
  start(): void {
    this.started = true;
    this.pump();
  }

  /** True when nothing is queued, waiting for a retry, or being processed. */
  get idle(): boolean {
    return this.pending.size === 0 && this.active.size === 0 && this.timers.size === 0;
  }

  /** Resolves once the queue is idle. */
  whenIdle(): Promise<void> {
    return this.idle ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops what is queued and waits for the keys being processed. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.pending.clear();
    this.delayed.clear();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all(this.active.values());
    this.notifyIdle();
  }

  private pump(): void {
    if (!this.started || this.stopped) return;
    const concurrency = this.options.concurrency ?? 1;
    for (const key of this.pending) {
      if (this.active.size >= concurrency) break;
      if (this.active.has(key)) continue;
      this.pending.delete(key);
      this.active.set(key, this.work(key));
    }
    this.notifyIdle();
  }

  private async work(key: K): Promise<void> {
    try {
      await this.options.process(key);
      this.failures.delete(key);
    } catch (err) {
      const failures = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, failures);
      const delayMs = Math.min(
        (this.options.retryDelayMs ?? 200) * 2 ** (failures - 1),
        this.options.maxRetryDelayMs ?? 60_000,
      );
      this.options.log.warn({ err, key, failures, delayMs }, 'work item failed; retrying later');
      this.addLater(key, delayMs);
    } finally {
      this.active.delete(key);
      this.pump();
    }
  }

  private addLater(key: K, delayMs: number): void {
    if (this.stopped || this.delayed.has(key)) return;
    this.delayed.add(key);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.delayed.delete(key);
      this.makePending(key);
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  private notifyIdle(): void {
    if (!this.idle) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
