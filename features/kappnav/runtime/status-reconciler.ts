/**
 * Keeps stored kAppNav statuses current (kappnav-prism.md §4.5): informer changes are gathered for a
 * short window, then one batch recomputes every application they may have moved (the ancestors of the
 * old and the new version of a changed resource, a changed application and its ancestors) and the changed
 * resources' own statuses, and stores the statuses that differ.
 *
 *   cluster events ─▶ ChangeQueue (coalesced per object, bounded) ─▶ window ─▶ batch (one at a time)
 *   batch: prepare informers ─▶ the runtime's StatusEvaluation ─▶ StatusStore (merge patch of annotations)
 *
 * kAppNav's controller gathered for 2 s; a change should reach the UI sooner, so the window is 100 ms by
 * default, still enough to fold a rollout's burst of events into one batch. Echoes of status writes
 * (changes of nothing but `kappnav.status.*`) are dropped on arrival, so writing a status never triggers
 * work. A write that fails is retried with backoff, then given up until the object changes again.
 *
 * A batch compares what it computed with the annotations the informers hold, so it waits until they
 * hold the writes before it (`StatusStore.exclusive`, at most `echoWaitMs`) and works on the objects as
 * the informers hold them then, not as they were queued. Statuses come from the runtime's memo per object
 * version, so rolling up an application of a thousand components evaluates only what changed.
 */
import type { Logger } from 'pino';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { currentVersion, type ClusterEvent } from '../cluster/kappnav-source.ts';
import { isApplication, type Application } from '../model/application.ts';
import type { ObjectChange } from '../model/application-graph.ts';
import { objectIdentity } from '../model/object-identity.ts';
import { differsOnlyInStatus } from '../status/status-annotations.ts';
import { ChangeQueue } from './change-queue.ts';
import type { KappnavRuntime } from './kappnav-runtime.ts';
import type { ObjectStatus } from './status-evaluation.ts';

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

export class StatusReconciler {
  private readonly queue: ChangeQueue;
  private readonly attempts = new Map<string, number>();
  private readonly retries = new Set<NodeJS.Timeout>();
  private timer: NodeJS.Timeout | undefined;
  /** The batch in progress, or the last one. */
  private batch: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private readonly unsubscribe: () => void;
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
    private readonly runtime: Pick<KappnavRuntime, 'cluster' | 'store' | 'problems' | 'evaluation'>,
    private readonly log: Logger,
    private readonly options: ReconcilerOptions = {},
  ) {
    this.queue = new ChangeQueue(options.capacity ?? 10_000);
    this.unsubscribe = runtime.cluster.onChange((event) => this.clusterChanged(event));
  }

  private clusterChanged(event: ClusterEvent): void {
    switch (event.type) {
      case 'object':
        return this.objectChanged(event.change);
      case 'maps':
        if (event.status) this.everythingChanged();
        return;
      // Objects of a kind no longer followed left every view without an event of their own.
      case 'component-kinds':
        return this.everythingChanged();
      case 'served-kinds':
        return this.servedKindsChanged();
      case 'namespaces':
        return;
    }
  }

  /** An Application or a component changed (informer events arrive here; tests call it too). */
  objectChanged(change: ObjectChange): void {
    if (change.old && change.new && differsOnlyInStatus(change.old, change.new)) {
      this.counters.skipped += 1;
      return;
    }
    this.queue.add(change);
    this.schedule();
  }

  /** A status map, a KindActionMapping or kappnav-config changed: any status may have. */
  everythingChanged(): void {
    this.queue.recomputeEverything();
    this.schedule();
  }

  /** A CustomResourceDefinition changed: the served kinds, and so the componentKinds, may have. */
  servedKindsChanged(): void {
    this.queue.refreshKinds();
    this.schedule();
  }

  stats(): ReconcilerStats {
    return { ...this.counters };
  }

  /** Resolves once nothing is queued, scheduled, waiting for a retry or running (tests and benchmarks). */
  async idle(): Promise<void> {
    for (;;) {
      await this.batch;
      if (!this.timer && this.queue.empty && this.retries.size === 0) return;
      await new Promise((resolve) => setTimeout(resolve, this.options.windowMs ?? 100));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const retry of this.retries) clearTimeout(retry);
    this.retries.clear();
    await this.batch;
  }

  private schedule(delayMs = this.options.windowMs ?? 100): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.batch = this.runtime.store.exclusive(() => this.runBatch(), this.options.echoWaitMs);
    }, delayMs);
  }

  private async runBatch(): Promise<void> {
    if (this.stopped || this.queue.empty) return;
    const work = this.queue.take();
    const cpu = process.cpuUsage();
    try {
      await this.runtime.cluster.prepare({ rediscover: work.rediscover });
      if (this.options.leads?.() ?? true) {
        await this.reconcile(work.changes, work.everything);
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
    const { cluster } = this.runtime;
    const evaluation = this.runtime.evaluation();
    const { graph } = evaluation;
    const applications = new Map<string, Application>();
    const resources = new Map<string, KubeObject>();
    const addResource = (r: KubeObject) => resources.set(objectIdentity(r), r);
    if (everything) {
      for (const object of cluster.applications()) {
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
      const current = currentVersion(cluster, resource);
      if (current) resources.set(key, current);
      else resources.delete(key);
    }
    // A coalesced change names an application by the version it was queued with; roll up the current one.
    const current = [...applications.values()].flatMap(
      (a) => graph.applicationNamed(a.namespace, a.name) ?? [],
    );
    const statuses = await evaluation.storableStatuses([
      ...current.map((application) => application.object),
      ...resources.values(),
    ]);
    const used = process.cpuUsage(cpu);
    this.counters.computeCpuMicros += used.user + used.system;
    await this.storeAll(statuses);
    this.runtime.problems.report(evaluation.problems);
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
      if (await this.runtime.store.store(object, status)) this.counters.writes += 1;
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
        const current = currentVersion(this.runtime.cluster, object);
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
