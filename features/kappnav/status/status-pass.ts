/**
 * One computation of kAppNav statuses over one view of the cluster, as the admission webhook, the
 * reconciler and the lifecycle API each run it: applications rolled up over their components, and
 * components' own statuses.
 *
 * A component named fresh (it changed, or the caller wants it recomputed) gets its status from its status
 * mapping; any other keeps the status stored in its annotations, which the reconciler keeps current, so
 * rolling up an application of a thousand components evaluates only what changed. A component that
 * stores no status yet is evaluated too.
 */
import type { KubeObject } from '../../../pkg/kube/types.ts';
import type { Application } from '../model/application.ts';
import type { KappnavConfig } from '../model/config.ts';
import { ApplicationGraph } from '../model/application-graph.ts';
import type { ClusterView } from '../model/cluster-view.ts';
import type { ResourceRegistry } from '../model/component-kinds.ts';
import { ApplicationStatusBatch, type ApplicationStatus } from './application-status.ts';
import type { ComponentStatusEngine } from './component-status.ts';
import type { KappnavStatus, StatusOutcome } from './kappnav-status.ts';
import { annotatedStatus } from './status-annotations.ts';

export interface ObjectStatus {
  object: KubeObject;
  status: KappnavStatus;
}

export interface StatusSources {
  view: ClusterView;
  registry: ResourceRegistry;
  config: KappnavConfig;
  engine: Pick<ComponentStatusEngine, 'statusOf'>;
}

export class StatusPass {
  readonly graph: ApplicationGraph;
  private readonly batch: ApplicationStatusBatch;

  constructor(sources: StatusSources, isFresh: (resource: KubeObject) => boolean) {
    this.graph = new ApplicationGraph(sources.view, sources.registry, sources.config);
    this.batch = new ApplicationStatusBatch({
      graph: this.graph,
      config: sources.config,
      componentStatus: (resource) => {
        const stored = isFresh(resource) ? undefined : annotatedStatus(resource);
        return stored ? Promise.resolve({ status: stored }) : sources.engine.statusOf(resource);
      },
    });
  }

  applicationStatuses(applications: readonly Application[]): Promise<ApplicationStatus[]> {
    return this.batch.statusesOf(applications);
  }

  /** The status of a non-application resource. */
  componentStatus(resource: KubeObject): Promise<StatusOutcome> {
    return this.batch.componentStatus(resource);
  }

  /**
   * What to store: the statuses of `applications` (those in the `app-namespaces` frontier) and of the
   * `resources` that carry kAppNav status (components of an application, or labelled for it).
   */
  async statusesToStore(
    applications: readonly Application[],
    resources: Iterable<KubeObject>,
  ): Promise<ObjectStatus[]> {
    const rolledUp = await this.applicationStatuses(applications);
    const components = await Promise.all(
      [...resources]
        .filter((resource) => this.graph.carriesStatus(resource))
        .map(async (object) => ({ object, status: (await this.componentStatus(object)).status })),
    );
    return [
      ...rolledUp.map(({ application, status }) => ({ object: application.object, status })),
      ...components,
    ];
  }

  /** Problems met so far (status mappings, ignored parts of applications, cycles), each once. */
  get problems(): ReadonlySet<string> {
    return this.batch.problems;
  }
}
