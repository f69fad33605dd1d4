/**
 * How the pattern functions (`podlist`, `apppodlist`, `replicaset`, `kubectlGet`) read cluster objects.
 * The server implements it over its kube client and discovery; tests use an in-memory fake.
 */
import type { KubeObject } from '../../../pkg/kube/types.ts';
import type { ResourceType } from '../../../pkg/kube/resource-type.ts';

export interface ListOptions {
  /** Undefined lists across all namespaces (and is the only choice for cluster-scoped types). */
  namespace?: string;
  /** A label selector in the Kubernetes wire syntax, e.g. `app=x,tier in (web, api)`. */
  labelSelector?: string;
}

export interface ResourceReader {
  /**
   * The type a kubectl resource argument names: a kind (`Route`), plural (`pods`), singular or short name,
   * optionally qualified by group (`routes.route.openshift.io`). Undefined when the server has no such type.
   */
  resolveType(name: string): Promise<ResourceType | undefined>;
  /** The object, or undefined when it does not exist; other failures reject. */
  get(type: ResourceType, namespace: string | undefined, name: string): Promise<KubeObject | undefined>;
  list(type: ResourceType, options: ListOptions): Promise<KubeObject[]>;
}
