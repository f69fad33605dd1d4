/**
 * The lifecycle-event API of kAppNav's design (kappnav-apis.md, "Status Management APIs"): "for create,
 * update and delete, calculate the object's status and store it inside the resource; for an application,
 * walk its components recursively, safe against cycles". The reconciler does this on its own for every
 * informer event; this API lets a caller (the prism API, a tool, a test) ask for it now and get the
 * answer, without waiting for the informers.
 *
 * - The named object is read from the API server, not the informers, which may not have seen the event
 *   yet; a `delete` event, or an object that is gone, counts as deleted.
 * - A resource: its own status (if it carries one) and every application containing it, recursively.
 * - An application: itself, every application it contains (each once, so cycles end), the components of
 *   all of them, evaluated afresh, and every application containing any of these.
 * - A deleted object: its labels are gone with it, so every application that could have held it (one
 *   naming its kind, in its namespace) is recomputed, with its ancestors.
 */
import type { KubeObject } from '../../../pkg/kube/types.ts';
import type { ResourceType } from '../../../pkg/kube/resource-type.ts';
import type { Application } from '../model/application.ts';
import { isApplication } from '../model/application.ts';
import type { ApplicationGraph } from '../model/application-graph.ts';
import { objectIdentity, referenceOf, type ObjectReference } from '../model/object-identity.ts';
import { OverlayClusterView } from '../model/overlay-cluster-view.ts';
import type { KappnavStatus } from '../status/kappnav-status.ts';
import { StatusPass } from '../status/status-pass.ts';
import type { ProblemLog } from '../status/problem-log.ts';
import { statusSources, type StatusEnvironment } from '../status/status-environment.ts';
import type { StatusStore } from './status-store.ts';

export type LifecycleEvent = 'create' | 'update' | 'delete';

export interface StoredStatus {
  reference: ObjectReference;
  status: KappnavStatus;
  /** False when the object held this status already, so nothing was sent. */
  written: boolean;
}

export interface LifecycleResult {
  /** The named object's status; undefined when it is gone or carries no kAppNav status. */
  status: KappnavStatus | undefined;
  /** Every status computed and stored: the object's, its descendants' (an application) and its ancestors'. */
  stored: StoredStatus[];
}

/** What the prism API (or any caller) depends on. */
export interface StatusLifecycle {
  /**
   * (Re)computes and stores the status of `reference` and of everything it moves. `event` is optional:
   * without it, an object that exists is treated as created or updated, and one that does not as deleted.
   * Rejects with `UnknownKindError` for a kind the cluster does not serve, and with the API server's error
   * when reading or storing fails.
   */
  recomputeStatus(reference: ObjectReference, event?: LifecycleEvent): Promise<LifecycleResult>;
}

export class UnknownKindError extends Error {}

export interface LifecycleDependencies {
  environment: StatusEnvironment;
  store: StatusStore;
  problems: ProblemLog;
  /** The served type of group/kind, refreshing discovery on a miss. */
  resolveKind(group: string, kind: string): Promise<ResourceType | undefined>;
  /** The object as the API server has it now, or undefined when it does not exist. */
  read(type: ResourceType, reference: ObjectReference): Promise<KubeObject | undefined>;
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

function couldHaveHeld(application: Application, reference: ObjectReference, type: ResourceType): boolean {
  return (
    application.inScope &&
    application.componentKinds.some((t) => t.group === reference.group && t.kind === reference.kind) &&
    (!type.namespaced || application.componentNamespaces.has(reference.namespace ?? ''))
  );
}

export class StatusLifecycleHandler implements StatusLifecycle {
  constructor(private readonly dependencies: LifecycleDependencies) {}

  async recomputeStatus(reference: ObjectReference, event?: LifecycleEvent): Promise<LifecycleResult> {
    const { environment, store, problems, resolveKind, read } = this.dependencies;
    const type = await resolveKind(reference.group, reference.kind);
    if (!type)
      throw new UnknownKindError(`${reference.group}/${reference.kind} is not served by the cluster`);
    if (type.namespaced && !reference.namespace)
      throw new Error(`${reference.kind} is namespaced: name the namespace of ${reference.name}`);
    const object = event === 'delete' ? undefined : await read(type, reference);

    const sources = statusSources(environment);
    const view = new OverlayClusterView(sources.view, reference, object);
    const fresh = new Set<string>();
    const pass = new StatusPass({ ...sources, view }, (r) => fresh.has(objectIdentity(r)));
    const { graph } = pass;
    const applications = new Map<string, Application>();
    const add = (a: Application) => applications.set(objectIdentity(a.object), a);
    const resources: KubeObject[] = [];
    if (object && isApplication(object)) {
      for (const application of applicationTree(graph, graph.application(object))) {
        add(application);
        resources.push(...graph.componentsOf(application).filter((c) => !isApplication(c)));
      }
    } else if (object) {
      resources.push(object);
    } else {
      for (const candidate of view.applications())
        if (couldHaveHeld(graph.application(candidate), reference, type)) add(graph.application(candidate));
    }
    // Whatever was recomputed may move the applications containing it (a child application's other parents too).
    const moved =
      object && !isApplication(object) ? [object] : [...applications.values()].map((a) => a.object);
    for (const start of moved) graph.ancestorsOf(start).forEach(add);
    resources.forEach((r) => fresh.add(objectIdentity(r)));

    const statuses = await pass.statusesToStore([...applications.values()], resources);
    problems.report(pass.problems);
    const stored = await Promise.all(
      statuses.map(async ({ object: target, status }) => ({
        reference: referenceOf(target),
        status,
        written: await store.store(target, status),
      })),
    );
    return { status: statuses.find((s) => s.object === object)?.status, stored };
  }
}
