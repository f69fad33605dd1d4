/**
 * The kAppNav view of the cluster, recomputed after changes: every application in the `app-namespaces`
 * frontier with its status (rolled up over nested applications, cycle-safe), action map and section map,
 * and its components, each with its own status, action map and section map.
 *
 * Changes are coalesced: a burst of events (a rollout touching many objects) costs one recomputation
 * shortly after the burst, and work per object is remembered between recomputations
 * (`ResourceInsights`), so recomputing after one change re-evaluates one status mapping, not all of them.
 * The served resources are projections of this view into their stores.
 */
import type { Logger } from 'pino';
import { parseApiVersion, type ResourceType } from '../../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../../pkg/kube/types.ts';
import type { ResourceActionMap } from '../../actions/action-map.ts';
import { APPLICATION_TYPE, type Application } from '../../model/application.ts';
import type { SectionMap } from '../../kam/section-map.ts';
import type { ClusterView } from '../../model/cluster-view.ts';
import type { ScriptRunner } from '../../status/component-status.ts';
import type { KappnavStatus } from '../../status/kappnav-status.ts';
import type { KappnavSource } from '../../cluster/kappnav-source.ts';
import { ResourceInsights } from '../../runtime/resource-insights.ts';
import { StatusEvaluation } from '../../runtime/status-evaluation.ts';

/** The application's component kind `component` is of (componentsOf only returns such objects). */
function componentType(application: Application, component: KubeObject): ResourceType {
  const { group } = parseApiVersion(component.apiVersion ?? '');
  return application.componentKinds.find((type) => type.group === group && type.kind === component.kind)!;
}

/** How often discovery is asked again about a component kind the cluster does not serve. */
const DISCOVERY_RETRY_MS = 60_000;

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
  cluster: KappnavSource;
  sandbox: ScriptRunner;
  log: Logger;
  /** Quiet time after a change before recomputing (a burst of events costs one recomputation). */
  settleMs?: number;
  /** Longest a recomputation is put off while changes keep coming. */
  maxDelayMs?: number;
}

export class PrismModel {
  private insights: ResourceInsights | undefined;
  private view: ModelView = { applications: [], namespaces: [], actionsOf: (o) => this.mapsOf(o).actions };
  private readonly listeners = new Set<(view: ModelView) => void>();
  private readonly reportedProblems = new Set<string>();
  /** group/kind → when discovery was last asked about it, so an uninstalled kind is asked about rarely. */
  private readonly discoveryAsked = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private firstPendingAt = 0;
  private running: Promise<void> | undefined;
  private again = false;
  private computed = false;
  private stopped = false;
  private readonly unsubscribe: () => void;

  constructor(private readonly options: ModelOptions) {
    this.unsubscribe = options.cluster.onChange((change) => {
      if (change === 'maps') this.insights = undefined;
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

  /** What is remembered per object version; forgotten when the maps or KindActionMappings change. */
  private currentInsights(): ResourceInsights {
    const { cluster, sandbox } = this.options;
    this.insights ??= new ResourceInsights(cluster, sandbox, cluster.kappnavConfig());
    return this.insights;
  }

  /** A fresh evaluation over the caches as they are now (or `view`, an overlay of them). */
  evaluation(view?: ClusterView): StatusEvaluation {
    return new StatusEvaluation(this.options.cluster, this.currentInsights(), view);
  }

  /** The merged action and section maps of an object. */
  mapsOf(object: KubeObject): Pick<Insight, 'actions' | 'sections'> {
    const insights = this.currentInsights();
    return { actions: insights.actionsOf(object), sections: insights.sectionsOf(object) };
  }

  private async recompute(): Promise<void> {
    const synced = this.options.cluster.synced();
    const evaluation = this.evaluation();
    const applications = evaluation.applications().filter((application) => application.inScope);
    this.watchComponentKinds(applications);
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
    for (const problem of evaluation.problems) this.report(problem);
    this.view = {
      applications: views,
      namespaces: this.options.cluster.namespaces(),
      actionsOf: (object) => this.mapsOf(object).actions,
    };
    if (synced) this.computed = true;
    for (const listener of this.listeners) listener(this.view);
  }

  private insight(object: KubeObject, status: KappnavStatus): Insight {
    return { object, status, ...this.mapsOf(object) };
  }

  /** Starts a cache for every component kind; asks discovery about kinds it does not know (new CRDs). */
  private watchComponentKinds(applications: readonly Application[]): void {
    const { cluster } = this.options;
    for (const application of applications) {
      for (const type of application.componentKinds) cluster.watchComponentKind(type);
      const kinds = (application.object.spec as { componentKinds?: unknown } | undefined)?.componentKinds;
      if (!Array.isArray(kinds) || kinds.length === application.componentKinds.length) continue;
      for (const entry of kinds as { group?: unknown; kind?: unknown }[]) {
        if (typeof entry?.kind !== 'string') continue;
        const group = typeof entry.group === 'string' && entry.group !== 'core' ? entry.group : '';
        const key = `${group}/${entry.kind}`;
        if (
          cluster.forKind(group, entry.kind) ||
          Date.now() - (this.discoveryAsked.get(key) ?? 0) < DISCOVERY_RETRY_MS
        )
          continue;
        this.discoveryAsked.set(key, Date.now());
        void cluster.discover(group, entry.kind).then(() => this.schedule());
      }
    }
  }

  private report(problem: string): void {
    if (this.reportedProblems.has(problem)) return;
    this.reportedProblems.add(problem);
    this.options.log.warn(problem);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.unsubscribe();
  }
}
