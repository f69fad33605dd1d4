/**
 * The kAppNav view of the cluster, recomputed after changes: every application in the `app-namespaces`
 * frontier with its status (rolled up over nested applications, cycle-safe), action map and section map,
 * and its components, each with its own status, action map and section map.
 *
 * Changes are coalesced: a burst of events (a rollout touching many objects) costs one recomputation
 * shortly after the burst, and work per object is remembered by the kAppNav runtime (`ResourceInsights`),
 * so recomputing after one change re-evaluates one status mapping, not all of them. The served resources
 * are projections of this view into their stores.
 */
import type { Logger } from 'pino';
import { parseApiVersion, type ResourceType } from '../../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../../pkg/kube/types.ts';
import type { ResourceActionMap } from '../../actions/action-map.ts';
import { APPLICATION_TYPE, type Application } from '../../model/application.ts';
import type { SectionMap } from '../../kam/section-map.ts';
import type { ClusterView } from '../../model/cluster-view.ts';
import type { KappnavStatus } from '../../status/kappnav-status.ts';
import type { KappnavRuntime } from '../../runtime/kappnav-runtime.ts';
import type { StatusEvaluation } from '../../runtime/status-evaluation.ts';

/** The application's component kind `component` is of (componentsOf only returns such objects). */
function componentType(application: Application, component: KubeObject): ResourceType {
  const { group } = parseApiVersion(component.apiVersion ?? '');
  return application.componentKinds.find((type) => type.group === group && type.kind === component.kind)!;
}

export interface Insight {
  object: KubeObject;
  status: KappnavStatus;
  /** The merged action map, with the candidate names it was looked up under. */
  actions: ResourceActionMap;
  sections: SectionMap;
}

export interface ComponentView extends Insight {
  application: Application;
  /** The served type of the component (one of the application's component kinds). */
  type: ResourceType;
}

export interface ApplicationView extends Insight {
  application: Application;
  components: ComponentView[];
}

export interface ModelView {
  /** In-scope applications, hidden ones included (the served resources leave those out). */
  applications: readonly ApplicationView[];
  namespaces: readonly KubeObject[];
  /** The merged action map of an object against the maps as they are when called (not when the view was made). */
  actionsOf(object: KubeObject): ResourceActionMap;
}

/** A resource kAppNav tracks (an application, hidden ones included, or a component) and its served type. */
export interface TrackedInsight {
  insight: Insight;
  type: Pick<ResourceType, 'resource'>;
}

/** Every namespaced resource the view tracks, once each (a component of two applications is one resource). */
export function trackedInsights(view: ModelView): TrackedInsight[] {
  const tracked = new Map<string, TrackedInsight>();
  for (const application of view.applications) {
    const entries: TrackedInsight[] = [
      { insight: application, type: APPLICATION_TYPE },
      ...application.components.map((c) => ({ insight: c, type: c.type })),
    ];
    for (const entry of entries) {
      const { apiVersion = '', kind, metadata } = entry.insight.object;
      if (!metadata?.namespace) continue;
      const { group } = parseApiVersion(apiVersion);
      tracked.set(`${group}/${kind}/${metadata.namespace}/${metadata.name}`, entry);
    }
  }
  return [...tracked.values()];
}

export interface ModelOptions {
  runtime: KappnavRuntime;
  log: Logger;
  /** Quiet time after a change before recomputing (a burst of events costs one recomputation). */
  settleMs?: number;
  /** Longest a recomputation is put off while changes keep coming. */
  maxDelayMs?: number;
}

export class PrismModel {
  private view: ModelView = { applications: [], namespaces: [], actionsOf: (o) => this.mapsOf(o).actions };
  private readonly listeners = new Set<(view: ModelView) => void>();
  /** A CustomResourceDefinition changed since the last recomputation: discovery is asked again first. */
  private rediscover = false;
  private timer: NodeJS.Timeout | undefined;
  private firstPendingAt = 0;
  private running: Promise<void> | undefined;
  private again = false;
  private computed = false;
  private stopped = false;
  private readonly unsubscribe: () => void;

  constructor(private readonly options: ModelOptions) {
    this.unsubscribe = options.runtime.cluster.onChange((event) => {
      if (event.type === 'served-kinds') this.rediscover = true;
      this.schedule();
    });
  }

  get current(): ModelView {
    return this.view;
  }

  /** True once a recomputation ran over synced core caches. */
  get ready(): boolean {
    return this.computed;
  }

  onUpdate(listener: (view: ModelView) => void): void {
    this.listeners.add(listener);
  }

  start(): void {
    this.schedule();
  }

  /** Recomputes after the settle time, unless one is already planned. */
  schedule(): void {
    if (this.stopped) return;
    const now = Date.now();
    if (!this.timer) this.firstPendingAt = now;
    clearTimeout(this.timer);
    const { settleMs = 50, maxDelayMs = 1000 } = this.options;
    const delay = Math.max(0, Math.min(settleMs, this.firstPendingAt + maxDelayMs - now));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, delay);
  }

  /** Recomputes now (after any recomputation in progress) and resolves when the view is current. */
  async refresh(): Promise<void> {
    await this.run();
  }

  private async run(): Promise<void> {
    if (this.running) {
      this.again = true;
      await this.running;
      return;
    }
    this.running = this.recompute()
      .catch((error: unknown) => this.options.log.error({ err: error }, 'prism model recomputation failed'))
      .finally(() => (this.running = undefined));
    await this.running;
    if (this.again && !this.stopped) {
      this.again = false;
      await this.run();
    }
  }

  /** A fresh evaluation over the caches as they are now (or `view`, an overlay of them). */
  evaluation(view?: ClusterView): StatusEvaluation {
    return this.options.runtime.evaluation(view);
  }

  /** The merged action and section maps of an object, against the maps as they are now. */
  mapsOf(object: KubeObject): Pick<Insight, 'actions' | 'sections'> {
    return this.options.runtime.mapsOf(object);
  }

  private async recompute(): Promise<void> {
    const { cluster } = this.options.runtime;
    const rediscover = this.rediscover;
    this.rediscover = false;
    // The informers of the kinds applications name now, listed (the reconciler prepares the same way).
    await cluster.prepare({ rediscover }).catch((error: unknown) => {
      this.rediscover ||= rediscover;
      throw error;
    });
    const synced = cluster.synced();
    const evaluation = this.evaluation();
    const applications = evaluation.applications().filter((application) => application.inScope);
    const views: ApplicationView[] = [];
    for (const application of applications) {
      const components = evaluation.graph.componentsOf(application);
      const [status, ...componentStatuses] = await evaluation.statusesOf([application.object, ...components]);
      views.push({
        ...this.insight(application.object, status!),
        application,
        components: components.map((component, index) => ({
          ...this.insight(component, componentStatuses[index]!),
          application,
          type: componentType(application, component),
        })),
      });
    }
    this.options.runtime.problems.report(evaluation.problems);
    this.view = {
      applications: views,
      namespaces: cluster.namespaces(),
      actionsOf: (object) => this.mapsOf(object).actions,
    };
    if (synced) this.computed = true;
    for (const listener of this.listeners) listener(this.view);
  }

  private insight(object: KubeObject, status: KappnavStatus): Insight {
    return { object, status, ...this.mapsOf(object) };
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.unsubscribe();
  }
}
