/**
 * Keeps stored kAppNav statuses current (kappnav-prism.md §4.5): informer changes are gathered for a
 * short window, then one batch recomputes every application they may have moved (the ancestors of the
 * old and the new version of a changed resource, a changed application and its ancestors) and the changed
 * resources' own statuses, and stores the statuses that differ.
 *
 *   informer events ─▶ ChangeQueue (coalesced per object, bounded) ─▶ window ─▶ batch (one at a time)
 *   batch: prepare informers ─▶ StatusPass over the view ─▶ StatusStore (merge patch of annotations)
 *
 * kAppNav's controller gathered for 2 s; a change should reach the UI sooner, so the window is 100 ms by
 * default, still enough to fold a rollout's burst of events into one batch. Echoes of status writes
 * (changes of nothing but `kappnav.status.*`) are dropped on arrival, so writing a status never triggers
 * work. A write that fails is retried with backoff, then given up until the object changes again.
 *
 * A batch compares what it computed with the annotations the informers hold, so it waits until they
 * hold the writes before it (`StatusStore.echoes`, at most `echoWaitMs`) and works on the objects as the
 * informers hold them then, not as they were queued.
 */
import type { Logger } from 'pino';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { isApplication, type Application } from '../model/application.ts';
import type { ObjectChange } from '../model/application-graph.ts';
import { objectIdentity } from '../model/object-identity.ts';
import { differsOnlyInStatus } from '../status/status-annotations.ts';
import { StatusPass, type ObjectStatus } from '../status/status-pass.ts';
import { ChangeQueue } from './change-queue.ts';
import type { ProblemLog } from '../status/problem-log.ts';
import { statusSources, type StatusEnvironment } from '../status/status-environment.ts';
import type { StatusStore } from './status-store.ts';

export interface ReconcilerOptions {
  /** How long changes gather before a batch runs. */
  windowMs?: number;
  /** Objects whose changes may wait at once; past this the next batch recomputes everything. */
  capacity?: number;
  /** Attempts to store one object's status before giving up until it changes again. */
  maxAttempts?: number;
  /** Delay before the first retry; doubles with each. */
  retryDelayMs?: number;
  /** Status writes in flight at once. */
  writeConcurrency?: number;
  /** How long a batch waits for the informers to deliver the previous batch's writes. */
  echoWaitMs?: number;
  /**
   * Whether this replica stores statuses (the leader). Others only keep their informers in line with the
   * applications, for their webhook; the new leader recomputes everything. Always, by default.
   */
  leads?: () => boolean;
}

export interface ReconcilerStats {
  /** Informer events handled by batches. */
  events: number;
  /** Events dropped on arrival because they changed nothing but stored status. */
  skipped: number;
  batches: number;
  /** Statuses written, and writes that failed. */
  writes: number;
  failures: number;
  /**
   * CPU time of the process while batches ran, in microseconds (user + system, every thread, the sandbox
   * included). Work that interleaves with a batch (the webhook answering the batch's own writes, watch
   * events, TLS) counts too, so this is an upper bound.
   */
  cpuMicros: number;
  /** The part of `cpuMicros` spent computing statuses, before any write is sent. */
  computeCpuMicros: number;
}

/** Where informer changes go: the informers call it (and tests do). */
export interface ClusterEvents {
  objectChanged(change: ObjectChange): void;
  /** A status map, a KindActionMapping or kappnav-config changed: any status may have. */
  everythingChanged(): void;
  /** A CustomResourceDefinition changed: the served kinds, and so the componentKinds, may have. */
  servedKindsChanged(): void;
}

export class StatusReconciler implements ClusterEvents {
  private readonly queue: ChangeQueue;
  private readonly attempts = new Map<string, number>();
  private readonly retries = new Set<NodeJS.Timeout>();
  private timer: NodeJS.Timeout | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private readonly counters: ReconcilerStats = {
    events: 0,
    skipped: 0,
    batches: 0,
    writes: 0,
    failures: 0,
    cpuMicros: 0,
    computeCpuMicros: 0,
  };

  constructor(
    private readonly environment: StatusEnvironment,
    private readonly store: StatusStore,
    private readonly problems: ProblemLog,
    private readonly log: Logger,
    private readonly options: ReconcilerOptions = {},
  ) {
    this.queue = new ChangeQueue(options.capacity ?? 10_000);
  }

  objectChanged(change: ObjectChange): void {
    this.store.noteEcho(change);
    if (change.old && change.new && differsOnlyInStatus(change.old, change.new)) {
      this.counters.skipped += 1;
      return;
    }
    this.queue.add(change);
    this.schedule();
  }

  everythingChanged(): void {
    this.queue.recomputeEverything();
    this.schedule();
  }

  servedKindsChanged(): void {
    this.queue.refreshKinds();
    this.schedule();
  }

  /**
   * Runs `work` when no batch runs, and keeps batches out until it is done (the lifecycle API), once the
   * informers hold the writes of the batches before.
   */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(() => this.store.echoes(this.options.echoWaitMs ?? 1000)).then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }

  stats(): ReconcilerStats {
    return { ...this.counters };
  }

  /** Resolves once nothing is queued, scheduled, waiting for a retry or running (tests and benchmarks). */
  async idle(): Promise<void> {
    for (;;) {
      await this.tail;
      if (!this.timer && this.queue.empty && this.retries.size === 0) return;
      await new Promise((resolve) => setTimeout(resolve, this.options.windowMs ?? 100));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const retry of this.retries) clearTimeout(retry);
    this.retries.clear();
    await this.tail;
  }

  private schedule(delayMs = this.options.windowMs ?? 100): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.exclusive(() => this.runBatch());
    }, delayMs);
  }

  private async runBatch(): Promise<void> {
    if (this.stopped || this.queue.empty) return;
    const work = this.queue.take();
    const cpu = process.cpuUsage();
    try {
      const { kindsChanged } = await this.environment.prepare({ rediscover: work.rediscover });
      if (this.options.leads?.() ?? true) {
        await this.reconcile(work.changes, work.everything || kindsChanged);
        this.counters.events += work.events;
      }
    } catch (error) {
      // Reading the cluster failed (discovery, a list): nothing of this batch is known to be stored.
      this.log.error({ err: error }, 'kAppNav status batch failed; recomputing everything shortly');
      this.queue.recomputeEverything();
      if (work.rediscover) this.queue.refreshKinds();
      this.schedule(this.options.retryDelayMs ?? 250);
    } finally {
      const used = process.cpuUsage(cpu);
      this.counters.cpuMicros += used.user + used.system;
      this.counters.batches += 1;
    }
  }

  private async reconcile(changes: readonly ObjectChange[], everything: boolean): Promise<void> {
    const cpu = process.cpuUsage();
    const fresh = new Set<string>();
    const pass = new StatusPass(statusSources(this.environment), (r) => fresh.has(objectIdentity(r)));
    const { graph } = pass;
    const applications = new Map<string, Application>();
    const resources = new Map<string, KubeObject>();
    const addResource = (r: KubeObject) => resources.set(objectIdentity(r), r);
    if (everything) {
      for (const object of this.environment.view.applications()) {
        const application = graph.application(object);
        applications.set(objectIdentity(object), application);
        graph
          .componentsOf(application)
          .filter((c) => !isApplication(c))
          .forEach(addResource);
      }
    } else {
      for (const change of changes) {
        const affected = graph.affectedBy(change);
        for (const a of affected.applications) applications.set(objectIdentity(a.object), a);
        affected.resources.forEach(addResource);
      }
    }
    for (const [key, resource] of resources) {
      // The version queued may predate the last write: work on what the informers hold now.
      const current = this.environment.current(resource);
      if (current) resources.set(key, current);
      else resources.delete(key);
      fresh.add(key);
    }
    // A coalesced change names an application by the version it was queued with; roll up the current one.
    const current = [...applications.values()].flatMap(
      (a) => graph.applicationNamed(a.namespace, a.name) ?? [],
    );
    const statuses = await pass.statusesToStore(current, resources.values());
    const used = process.cpuUsage(cpu);
    this.counters.computeCpuMicros += used.user + used.system;
    await this.storeAll(statuses);
    this.problems.report(pass.problems);
  }

  private async storeAll(statuses: readonly ObjectStatus[]): Promise<void> {
    let next = 0;
    const writer = async () => {
      for (let item = statuses[next++]; item; item = statuses[next++]) await this.storeOne(item);
    };
    const writers = Math.min(this.options.writeConcurrency ?? 8, statuses.length);
    await Promise.all(Array.from({ length: writers }, writer));
  }

  private async storeOne({ object, status }: ObjectStatus): Promise<void> {
    try {
      if (await this.store.store(object, status)) this.counters.writes += 1;
      this.attempts.delete(objectIdentity(object));
    } catch (error) {
      this.counters.failures += 1;
      this.retry(object, error);
    }
  }

  private retry(object: KubeObject, error: unknown): void {
    const key = objectIdentity(object);
    const attempt = (this.attempts.get(key) ?? 0) + 1;
    if (attempt >= (this.options.maxAttempts ?? 5)) {
      this.attempts.delete(key);
      this.log.error(
        { err: error, object: key },
        'could not store kAppNav status; giving up until it changes',
      );
      return;
    }
    this.attempts.set(key, attempt);
    this.log.warn({ err: error, object: key, attempt }, 'could not store kAppNav status; retrying');
    const timer = setTimeout(
      () => {
        this.retries.delete(timer);
        // The version that failed may be outdated by now: recompute whatever the informers hold.
        const current = this.environment.current(object);
        if (!current) {
          this.attempts.delete(key);
          return;
        }
        this.queue.add({ old: current, new: current });
        this.schedule();
      },
      (this.options.retryDelayMs ?? 250) * 2 ** (attempt - 1),
    );
    this.retries.add(timer);
  }
}
