/**
 * The lifecycle-event API of kAppNav's design (kappnav-apis.md, "Status Management APIs"): "for create,
 * update and delete, calculate the object's status and store it inside the resource; for an application,
 * walk its components recursively, safe against cycles". The reconciler does this on its own for every
 * informer event; this lets a caller (the prism `lifecycleevents` resource) ask for it now and get the
 * answer, without waiting for the informers.
 *
 * - The named object is read from the API server, not the informers, which may not have seen the event
 *   yet; a `Deleted` event, or an object that is gone, counts as deleted.
 * - A resource: its own status and every application containing it, recursively.
 * - An application: itself, every application it contains (each once, so cycles end), the components of
 *   all of them, and every application containing any of these.
 * - A deleted object: its labels are gone with it, so every application that could have held it (one
 *   naming its kind, in its namespace) is recomputed, with its ancestors.
 *
 * Only what carries kAppNav status is computed and stored (applications in the `app-namespaces`
 * frontier, components, resources labelled for it), as the webhook and the reconciler store it: a status
 * written anywhere else would be one nothing keeps current. Statuses are stored through the runtime's
 * `StatusStore`, taking turns with the reconciler's batches.
 */
import type { ResourceType } from '../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { isApplication, type Application } from '../model/application.ts';
import type { ApplicationGraph } from '../model/application-graph.ts';
import type { ClusterView } from '../model/cluster-view.ts';
import { objectIdentity } from '../model/object-identity.ts';
import { OverlayClusterView } from '../model/overlay-cluster-view.ts';
import type { ProblemLog } from '../status/problem-log.ts';
import type { KappnavStatus } from '../status/kappnav-status.ts';
import type { StatusEvaluation } from './status-evaluation.ts';
import type { StatusStore } from './status-store.ts';

export const LIFECYCLE_EVENT_TYPES = ['Created', 'Updated', 'Deleted'] as const;
export type LifecycleEventType = (typeof LIFECYCLE_EVENT_TYPES)[number];

/** The resource an event is about. */
export interface LifecycleSubject {
  type: ResourceType;
  /** Required for a namespaced type, ignored for a cluster-scoped one. */
  namespace?: string | undefined;
  name: string;
}

export interface LifecycleOptions {
  /** Without it, an object that exists counts as created or updated, and one that does not as deleted. */
  event?: LifecycleEventType;
  /** Compute only: nothing is written. */
  dryRun?: boolean;
}

export interface StoredStatus {
  object: KubeObject;
  status: KappnavStatus;
  /** True when the annotations were written; false when they held this status already, or on a dry run. */
  written: boolean;
  /** Why the annotations could not be written. */
  error?: string;
}

export interface LifecycleResult {
  /** The named object's status; undefined when it is gone or carries no kAppNav status. */
  status: KappnavStatus | undefined;
  /** Every status computed: the object's first, then its ancestors', then (an application) its descendants'. */
  stored: StoredStatus[];
}

/** What the lifecycle reads and writes through: the parts of the kAppNav runtime it uses. */
export interface LifecycleRuntime {
  readonly cluster: ClusterView;
  readonly reader: {
    read(
      type: ResourceType,
      namespace: string | undefined,
      name: string,
      fresh?: boolean,
    ): Promise<KubeObject | undefined>;
  };
  readonly store: StatusStore;
  readonly problems: ProblemLog;
  evaluation(view?: ClusterView): StatusEvaluation;
}

/** Each application once, starting with `root`, following child applications through cycles. */
function applicationTree(graph: ApplicationGraph, root: Application): Application[] {
  const found = new Map([[objectIdentity(root.object), root]]);
  for (const application of found.values()) {
    for (const component of graph.componentsOf(application)) {
      if (isApplication(component) && !found.has(objectIdentity(component)))
        found.set(objectIdentity(component), graph.application(component));
    }
  }
  return [...found.values()];
}

function couldHaveHeld(application: Application, subject: LifecycleSubject): boolean {
  const { type, namespace } = subject;
  return (
    application.inScope &&
    application.componentKinds.some((t) => t.group === type.group && t.kind === type.kind) &&
    (!type.namespaced || application.componentNamespaces.has(namespace ?? ''))
  );
}

export class StatusLifecycle {
  constructor(private readonly runtime: LifecycleRuntime) {}

  /**
   * (Re)computes, and stores unless `dryRun`, the status of `subject` and of everything it moves. Rejects
   * when reading the subject fails; a status that cannot be written is reported with its error.
   */
  recompute(subject: LifecycleSubject, options: LifecycleOptions = {}): Promise<LifecycleResult> {
    const { type, name } = subject;
    if (type.namespaced && !subject.namespace)
      return Promise.reject(new Error(`${type.kind} is namespaced: name the namespace of ${name}`));
    return this.runtime.store.exclusive(() => this.run(subject, options));
  }

  private async run(subject: LifecycleSubject, options: LifecycleOptions): Promise<LifecycleResult> {
    const { cluster, reader, store, problems } = this.runtime;
    const { type, name } = subject;
    const namespace = type.namespaced ? subject.namespace : undefined;
    const object = options.event === 'Deleted' ? undefined : await reader.read(type, namespace, name, true);
    const reference = { group: type.group, kind: type.kind, namespace: namespace ?? '', name };
    const evaluation = this.runtime.evaluation(new OverlayClusterView(cluster, reference, object));
    const statuses = await evaluation.storableStatuses(this.targets(evaluation, object, subject));
    problems.report(evaluation.problems);
    const stored = await Promise.all(
      statuses.map(async ({ object: target, status }): Promise<StoredStatus> => {
        if (options.dryRun) return { object: target, status, written: false };
        try {
          return { object: target, status, written: await store.store(target, status) };
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          return { object: target, status, written: false, error: message };
        }
      }),
    );
    return { status: stored.find((s) => s.object === object)?.status, stored };
  }

  /** The objects whose status the event may move, each once, the subject first when it exists. */
  private targets(
    evaluation: StatusEvaluation,
    object: KubeObject | undefined,
    subject: LifecycleSubject,
  ): KubeObject[] {
    const { graph } = evaluation;
    const found = new Map<string, KubeObject>();
    const add = (target: KubeObject) => {
      if (!found.has(objectIdentity(target))) found.set(objectIdentity(target), target);
    };
    const addWithAncestors = (target: KubeObject) => {
      add(target);
      for (const ancestor of graph.ancestorsOf(target)) add(ancestor.object);
    };
    if (!object) {
      for (const application of evaluation.applications())
        if (couldHaveHeld(application, subject)) addWithAncestors(application.object);
      return [...found.values()];
    }
    addWithAncestors(object);
    if (!isApplication(object)) return [...found.values()];
    // Whatever it contains, recomputed, moves the applications containing that too (a child's other parents).
    const tree = applicationTree(graph, graph.application(object));
    for (const application of tree) addWithAncestors(application.object);
    for (const application of tree) graph.componentsOf(application).forEach(add);
    return [...found.values()];
  }
}
