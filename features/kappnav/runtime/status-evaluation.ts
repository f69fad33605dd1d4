/**
 * One evaluation of kAppNav statuses over the cluster as the caches hold it now: a component's status
 * from its status mapping, an application's rolled up over its components and nested applications
 * (cycle-safe). Used by the model's recomputation and by on-demand answers (a resource's status, a
 * lifecycle event); create one per piece of work, since it remembers what it computed.
 */
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { keyOf } from '../../../pkg/kube/types.ts';
import { isApplication, type Application } from '../model/application.ts';
import type { KappnavConfig } from '../model/config.ts';
import { ApplicationGraph } from '../model/application-graph.ts';
import { ApplicationStatusBatch } from '../status/application-status.ts';
import type { ClusterView } from '../model/cluster-view.ts';
import type { KappnavStatus } from '../status/kappnav-status.ts';
import type { KappnavSource } from '../cluster/kappnav-source.ts';
import type { ResourceInsights } from './resource-insights.ts';

export class StatusEvaluation {
  readonly graph: ApplicationGraph;
  readonly config: KappnavConfig;
  private readonly batch: ApplicationStatusBatch;

  constructor(
    cluster: KappnavSource,
    private readonly insights: ResourceInsights,
    /** What the graph reads: the cluster's caches, or those with one newer object laid over them. */
    private readonly view: ClusterView = cluster,
  ) {
    this.config = cluster.kappnavConfig();
    this.graph = new ApplicationGraph(view, cluster, this.config);
    this.batch = new ApplicationStatusBatch({
      graph: this.graph,
      config: this.config,
      componentStatus: (resource) => insights.statusOf(resource),
    });
  }

  /** Every Application of the cluster, read against discovery and kappnav-config. */
  applications(): Application[] {
    return this.view.applications().map((object) => this.graph.application(object));
  }

  /** Problems met so far (ignored parts of applications, faulty status mappings). */
  get problems(): ReadonlySet<string> {
    return this.batch.problems;
  }

  /** The status of each object: applications rolled up (Unknown outside app-namespaces), others mapped. */
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
          : (await this.insights.statusOf(object)).status,
      ),
    );
  }
}
