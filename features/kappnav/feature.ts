/**
 * kAppNav status in prismgate (issue 5, kappnav-prism.md §2, §4): status computed as objects are written,
 * rolled up through nested applications and kept current.
 *
 *   InformedCluster ── events ──▶ StatusReconciler ──▶ StatusStore (merge patch of the annotations)
 *         │                             ▲
 *         ├──▶ StatusInjectionEndpoint  │ exclusive
 *         └──▶ StatusLifecycleHandler ──┘
 *
 * The webhook stores the status of the object being written (a component, or an application); the
 * reconciler stores everything that moves with it (ancestors, the statuses after `status` updates, which
 * no webhook sees, and everything after a status map or kappnav-config change). See
 * docs/kappnav-status.md.
 */
import type { Feature, SharedServices } from '../feature.ts';
import { KubeApiError } from '../../pkg/kube/kube-client.ts';
import { objectPath } from '../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../pkg/kube/types.ts';
import type { ObjectReference } from './model/object-identity.ts';
import type { AdmissionEndpoint } from '../../webhook/admission-endpoint.ts';
import { InformedCluster } from './cluster/informed-cluster.ts';
import { ProblemLog } from './status/problem-log.ts';
import { StatusInjectionEndpoint } from './runtime/status-injection-endpoint.ts';
import {
  StatusLifecycleHandler,
  type LifecycleEvent,
  type LifecycleResult,
  type StatusLifecycle,
} from './runtime/status-lifecycle.ts';
import {
  StatusReconciler,
  type ReconcilerOptions,
  type ReconcilerStats,
} from './runtime/status-reconciler.ts';
import { StatusStore, kubeMergePatcher } from './runtime/status-store.ts';

export interface KappnavStatusOptions {
  reconciler?: ReconcilerOptions;
  /** Time budget of one status map `algorithm` run. */
  algorithmTimeoutMs?: number;
  /** How long a batch waits for a new informer's first list. */
  syncWaitMs?: number;
}

interface Running {
  cluster: InformedCluster;
  reconciler: StatusReconciler;
  endpoint: StatusInjectionEndpoint;
  lifecycle: StatusLifecycleHandler;
  /** Stops following leadership. */
  unsubscribe: () => void;
}

export class KappnavStatusFeature implements Feature, StatusLifecycle {
  readonly name = 'kappnav-status';
  private running: Running | undefined;

  constructor(private readonly options: KappnavStatusOptions = {}) {}

  start(services: SharedServices): void {
    const { client, discovery, log, leadership } = services;
    const problems = new ProblemLog(log);
    const cluster = new InformedCluster({
      services,
      problems,
      ...(this.options.syncWaitMs === undefined ? {} : { syncWaitMs: this.options.syncWaitMs }),
      ...(this.options.algorithmTimeoutMs === undefined
        ? {}
        : { algorithmTimeoutMs: this.options.algorithmTimeoutMs }),
    });
    const store = new StatusStore(kubeMergePatcher(client, discovery));
    const reconciler = new StatusReconciler(cluster, store, problems, log, {
      ...this.options.reconciler,
      leads: () => leadership.isLeader(),
    });
    cluster.connect(reconciler);
    // A new leader brings every status up to date: the previous one may have left work undone.
    const unsubscribe = leadership.onChange((leading) => {
      if (leading) reconciler.everythingChanged();
    });
    const endpoint = new StatusInjectionEndpoint({
      environment: cluster,
      componentKinds: () => cluster.componentKinds(),
      problems,
      log,
    });
    cluster.onKindsChanged(() => endpoint.rulesChanged());
    const lifecycle = new StatusLifecycleHandler({
      environment: cluster,
      store,
      problems,
      resolveKind: (group, kind) => discovery.resolveKind(group, kind),
      read: async (type, reference) => {
        try {
          return await client.request<KubeObject>(
            'GET',
            objectPath(type, reference.namespace, reference.name),
          );
        } catch (error) {
          if (error instanceof KubeApiError && error.code === 404) return undefined;
          throw error;
        }
      },
    });
    this.running = { cluster, reconciler, endpoint, lifecycle, unsubscribe };
  }

  admissionEndpoints(): AdmissionEndpoint[] {
    return this.running ? [this.running.endpoint] : [];
  }

  ready(): boolean {
    return this.running?.cluster.synced() ?? false;
  }

  /** See `StatusLifecycle`; runs between reconciler batches, never during one. */
  recomputeStatus(reference: ObjectReference, event?: LifecycleEvent): Promise<LifecycleResult> {
    const running = this.running;
    if (!running) return Promise.reject(new Error('the kappnav-status feature is not running'));
    return running.reconciler.exclusive(() => running.lifecycle.recomputeStatus(reference, event));
  }

  /** Reconciler counters (benchmarks, tests). */
  stats(): ReconcilerStats | undefined {
    return this.running?.reconciler.stats();
  }

  /** Resolves when the reconciler has nothing queued or running (benchmarks, tests). */
  async idle(): Promise<void> {
    await this.running?.reconciler.idle();
  }

  async stop(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    running?.unsubscribe();
    // The batch in progress finishes first: without its informers it would see no components and store that.
    await running?.reconciler.stop();
    running?.cluster.stop();
  }
}
