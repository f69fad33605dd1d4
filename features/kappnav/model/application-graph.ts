/**
 * Applications and their components as a graph over one view of the cluster: the components of an
 * application, the applications containing a resource, and all their ancestors.
 *
 * One graph serves one batch of work (a reconcile pass, one admission request): it memoizes what it reads
 * and assumes the view does not change under it, so create a new one for the next batch.
 */
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { keyOf } from '../../../pkg/kube/types.ts';
import type { Application } from './application.ts';
import { isApplication, isComponentOf, readApplication } from './application.ts';
import type { KappnavConfig } from './config.ts';
import type { ClusterView } from './cluster-view.ts';
import type { ResourceRegistry } from './component-kinds.ts';

/** Writing any value to this label also makes a resource carry kAppNav status (kappnav-prism.md §2.7). */
export const AUTO_CREATE_LABEL = 'kappnav.app.auto-create';

/** An informer event: `old` on update and delete, `new` on add and update. */
export interface ObjectChange {
  old?: KubeObject;
  new?: KubeObject;
}

export interface Affected {
  applications: Application[];
  resources: KubeObject[];
}

export class ApplicationGraph {
  private readonly applications = new Map<KubeObject, Application>();
  private readonly components = new Map<Application, readonly KubeObject[]>();
  private everyApplication: readonly Application[] | undefined;

  constructor(
    private readonly view: ClusterView,
    private readonly registry: ResourceRegistry,
    private readonly config: Pick<KappnavConfig, 'appNamespaces'>,
  ) {}

  /** `object` (an Application) read against this graph's registry and configuration. */
  application(object: KubeObject): Application {
    let application = this.applications.get(object);
    if (!application) {
      application = readApplication(object, this.registry, this.config);
      this.applications.set(object, application);
    }
    return application;
  }

  /** The direct components of `application`, child applications included. */
  componentsOf(application: Application): readonly KubeObject[] {
    let found = this.components.get(application);
    if (!found) {
      const list: KubeObject[] = [];
      // Listing per namespace and by one required label only narrows the candidates; isComponentOf decides.
      const label = application.selector.find((r) => r.operator === 'Equals' || r.operator === 'In');
      for (const type of application.componentKinds) {
        const namespaces = type.namespaced ? [...application.componentNamespaces] : [undefined];
        for (const namespace of namespaces)
          list.push(...this.view.list(type, namespace, label).filter((o) => isComponentOf(application, o)));
      }
      found = list;
      this.components.set(application, found);
    }
    return found;
  }

  /** The applications that `resource` is a direct component of. */
  parentsOf(resource: KubeObject): Application[] {
    this.everyApplication ??= this.view.applications().map((a) => this.application(a));
    return this.everyApplication.filter((a) => isComponentOf(a, resource));
  }

  /** Every application that contains `resource`, directly or through nested applications, each once. */
  ancestorsOf(resource: KubeObject): Application[] {
    const found = new Map<string, Application>();
    const pending = [resource];
    for (let next = pending.pop(); next; next = pending.pop()) {
      for (const parent of this.parentsOf(next)) {
        const key = keyOf(parent.object);
        if (found.has(key)) continue;
        found.set(key, parent);
        pending.push(parent.object);
      }
    }
    return [...found.values()];
  }

  /** The application `namespace/name` of the view, or undefined when it is gone (a coalesced key). */
  applicationNamed(namespace: string, name: string): Application | undefined {
    const object = this.view.getApplication(namespace, name);
    return object && this.application(object);
  }

  /**
   * What an informer event calls for. Applications whose status may move: the ancestors of the old
   * version (through labels it no longer has) and of the new one, and a changed application itself (its
   * selector, kinds or namespaces). Resources whose own status to (re)write, if they carry status: a
   * changed resource, and the components of a changed application, which it may just have taken in.
   */
  affectedBy(change: ObjectChange): Affected {
    const applications = new Map<string, Application>();
    const add = (application: Application) => applications.set(keyOf(application.object), application);
    const resources: KubeObject[] = [];
    if (change.new && isApplication(change.new)) {
      const changed = this.application(change.new);
      if (changed.inScope) add(changed);
      resources.push(...this.componentsOf(changed).filter((c) => !isApplication(c)));
    } else if (change.new) {
      resources.push(change.new);
    }
    for (const version of [change.old, change.new]) if (version) this.ancestorsOf(version).forEach(add);
    return { applications: [...applications.values()], resources };
  }

  /**
   * Whether `resource` gets kAppNav status annotations: applications in the frontier, resources labelled
   * for auto-creation, and direct components of an application; others are left alone.
   */
  carriesStatus(resource: KubeObject): boolean {
    if (isApplication(resource)) return this.application(resource).inScope;
    if (resource.metadata?.labels?.[AUTO_CREATE_LABEL] !== undefined) return true;
    return this.parentsOf(resource).length > 0;
  }
}
