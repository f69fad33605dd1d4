/**
 * kAppNav in prismgate (issue 5, kappnav-prism.md §2, §4, §6): one runtime, statuses stored as objects are
 * written and kept current, and the prism.kappnav.io API over the same runtime.
 *
 *   KappnavRuntime (runtime/kappnav-runtime.ts): the cluster view, statuses and maps, the status store
 *     ├──▶ StatusInjectionEndpoint: the status of the object being written, in its admission response
 *     ├──▶ ApplicationSpanEndpoint: an Application spans only what its author may list
 *     ├──▶ StatusReconciler: everything that moves with a change (ancestors, `status` updates, which no
 *     │    webhook sees, everything after a status map or kappnav-config change)
 *     ├──▶ StatusLifecycle: the lifecycle-event API (`lifecycleevents`)
 *     └──▶ the prism API server (`prismApiServer()`, started by the process after the features)
 *
 * See docs/kappnav-status.md and docs/prism-api.md.
 */
import type { TlsMaterial } from '../../server/tls.ts';
import type { FastifyInstance } from 'fastify';
import type { Feature, SharedServices } from '../feature.ts';
import type { AdmissionEndpoint } from '../../webhook/admission-endpoint.ts';
import { createPrismApiServer, type PrismApiOptions } from './prism/prism-api-server.ts';
import { AccessReviewer } from '../../server/delegated-auth/access-review.ts';
import { ApplicationSpanEndpoint } from './runtime/application-span-endpoint.ts';
import { KappnavRuntime } from './runtime/kappnav-runtime.ts';
import { StatusInjectionEndpoint } from './runtime/status-injection-endpoint.ts';
import {
  StatusReconciler,
  type ReconcilerOptions,
  type ReconcilerStats,
} from './runtime/status-reconciler.ts';

export interface KappnavOptions {
  reconciler?: ReconcilerOptions;
  /** Time budget of one status map `algorithm` run (default 500 ms; see runtime/kappnav-runtime.ts). */
  algorithmTimeoutMs?: number;
  /** How long a batch waits for a new informer's first list. */
  syncWaitMs?: number;
}

interface Running {
  runtime: KappnavRuntime;
  reconciler: StatusReconciler;
  endpoint: StatusInjectionEndpoint;
  span: ApplicationSpanEndpoint;
  /** Stop following leadership and the component kinds. */
  unsubscribes: (() => void)[];
}

export class KappnavFeature implements Feature {
  readonly name = 'kappnav';
  private running: Running | undefined;

  constructor(private readonly options: KappnavOptions = {}) {}

  start(services: SharedServices): void {
    const { log, leadership } = services;
    const runtime = KappnavRuntime.start(services, {
      ...(this.options.syncWaitMs === undefined ? {} : { syncWaitMs: this.options.syncWaitMs }),
      ...(this.options.algorithmTimeoutMs === undefined
        ? {}
        : { algorithmTimeoutMs: this.options.algorithmTimeoutMs }),
    });
    const reconciler = new StatusReconciler(runtime, log, {
      ...this.options.reconciler,
      leads: () => leadership.isLeader(),
    });
    const endpoint = new StatusInjectionEndpoint({ runtime, log });
    const span = new ApplicationSpanEndpoint(runtime.cluster, new AccessReviewer(services.client));
    const unsubscribes = [
      // A new leader brings every status up to date: the previous one may have left work undone.
      leadership.onChange((leading) => {
        if (leading) reconciler.everythingChanged();
      }),
      runtime.cluster.onChange((event) => {
        if (event.type === 'component-kinds') endpoint.rulesChanged();
      }),
    ];
    this.running = { runtime, reconciler, endpoint, span, unsubscribes };
  }

  /** The runtime this feature started; the prism API server is built over it. */
  get runtime(): KappnavRuntime {
    if (!this.running) throw new Error('the kappnav feature is not running');
    return this.running.runtime;
  }

  /**
   * Builds the prism API listener over this feature's runtime; the process calls it after starting the
   * features (the shape of src/prismgate.ts's ApiServerFactory).
   */
  prismApiServer(
    options?: PrismApiOptions,
  ): (services: SharedServices, tls: TlsMaterial) => Promise<FastifyInstance> {
    return (services, tls) => createPrismApiServer({ ...services, kappnav: this.runtime }, tls, options);
  }

  admissionEndpoints(): AdmissionEndpoint[] {
    return this.running ? [this.running.endpoint, this.running.span] : [];
  }

  ready(): boolean {
    return this.running?.runtime.cluster.synced() ?? false;
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
    running?.unsubscribes.forEach((unsubscribe) => unsubscribe());
    // The batch in progress finishes first: without its informers it would see no components and store that.
    await running?.reconciler.stop();
    running?.runtime.stop();
  }
}
