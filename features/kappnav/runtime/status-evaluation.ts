/**
 * One evaluation of kAppNav statuses over the cluster as it is held now, or over a view with one object
 * laid over it (the object of an admission request, or the one a lifecycle event names): a component's
 * status from its status map (remembered per object version in `ResourceInsights`), an application's
 * rolled up over its components and nested applications (cycle-safe). Create one per piece of work (a
 * reconciler batch, an admission request, a lifecycle event, a recomputation of the prism model): it
 * remembers what it read and computed, and assumes the view does not change under it.
 */
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { keyOf } from '../../../pkg/kube/types.ts';
import { isApplication, type Application } from '../model/application.ts';
import { ApplicationGraph } from '../model/application-graph.ts';
import type { ClusterView } from '../model/cluster-view.ts';
import type { ResourceRegistry } from '../model/component-kinds.ts';
import type { KappnavConfig } from '../model/config.ts';
import { ApplicationStatusBatch } from '../status/application-status.ts';
import type { KappnavStatus } from '../status/kappnav-status.ts';
import type { ResourceInsights } from './resource-insights.ts';

export interface ObjectStatus {
  object: KubeObject;
  status: KappnavStatus;
}

export class StatusEvaluation {
  readonly graph: ApplicationGraph;
  readonly config: KappnavConfig;
  private readonly batch: ApplicationStatusBatch;

  constructor(
    registry: ResourceRegistry,
    insights: ResourceInsights,
    /** What the graph reads: the cluster's informers, or those with one newer object laid over them. */
    private readonly view: ClusterView,
  ) {
    this.config = insights.config;
    this.graph = new ApplicationGraph(view, registry, this.config);
    this.batch = new ApplicationStatusBatch({
      graph: this.graph,
      config: this.config,
      componentStatus: (resource) => insights.statusOf(resource),
    });
  }

  /** Every Application of the view, read against discovery and kappnav-config. */
  applications(): Application[] {
    return this.view.applications().map((object) => this.graph.application(object));
  }

  /** Problems met so far (status maps at fault, ignored parts of applications, cycles), each once. */
  get problems(): ReadonlySet<string> {
    return this.batch.problems;
  }

  /**
   * The status of each object, whatever it is: applications rolled up (Unknown outside the
   * `app-namespaces` frontier, where they carry none), other resources from their status maps.
   */
  async statusesOf(objects: readonly KubeObject[]): Promise<KappnavStatus[]> {
    const applications = objects.filter(isApplication).map((object) => this.graph.application(object));
    const rolledUp = new Map(
      (await this.batch.statusesOf(applications)).map(({ application, status }) => [
        keyOf(application.object),
        status,
      ]),
    );
    const outsideFrontier: KappnavStatus = {
      value: this.config.statusUnknown,
      flyover: 'The application is outside app-namespaces.',
    };
    return Promise.all(
      objects.map(async (object) =>
        isApplication(object)
          ? (rolledUp.get(keyOf(object)) ?? outsideFrontier)
          : (await this.batch.componentStatus(object)).status,
      ),
    );
  }

  /**
   * The statuses to store, in the order given, of those `objects` that carry kAppNav status: applications
   * in the frontier, components of an application and resources labelled for it (`carriesStatus`).
   */
  async storableStatuses(objects: readonly KubeObject[]): Promise<ObjectStatus[]> {
    const carrying = objects.filter((object) => this.graph.carriesStatus(object));
    const statuses = await this.statusesOf(carrying);
    return carrying.map((object, index) => ({ object, status: statuses[index]! }));
  }
}
