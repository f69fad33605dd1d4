/**
 * One resource named by the user (a status lookup, a lifecycle event): its served type from a kind and an
 * optional apiVersion, and the object itself, from the watch cache when its kind is watched (which also
 * knows what does not exist), else with one GET (never a LIST).
 */
import { KubeApiError, type KubeClient } from '../../../pkg/kube/kube-client.ts';
import {
  apiVersionOf,
  objectPath,
  parseApiVersion,
  type ResourceType,
} from '../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import type { KappnavSource } from './kappnav-source.ts';

/** What resolving a kind needs of discovery (ApiDiscovery implements it). */
export interface KindDiscovery {
  forKind(group: string, kind: string): ResourceType | undefined;
  groupsServingKind(kind: string): string[];
}

/**
 * The type of `kind` in `apiVersion`'s group (kAppNav writes the core group `/v1`), or in the one group
 * serving the kind when no apiVersion is given.
 */
export function servedType(
  discovery: KindDiscovery,
  kind: string,
  apiVersion?: string,
): ResourceType | undefined {
  const group = apiVersion
    ? parseApiVersion(apiVersion.replace(/^\//, '')).group
    : discovery.groupsServingKind(kind)[0];
  return group === undefined ? undefined : discovery.forKind(group, kind);
}

export class ObjectReader {
  constructor(
    private readonly cluster: KappnavSource,
    private readonly client: Pick<KubeClient, 'request'>,
  ) {}

  /** The object, or undefined when it does not exist; `fresh` skips the cache (the caller knows it just changed). */
  async read(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    fresh = false,
  ): Promise<KubeObject | undefined> {
    const scope = type.namespaced ? namespace : undefined;
    if (!fresh) {
      const cached = this.cluster.cached(type, scope, name);
      if (cached || this.cluster.holds(type)) return cached;
    }
    try {
      const object = await this.client.request<KubeObject>('GET', objectPath(type, scope, name), {
        timeoutMs: 5_000,
      });
      return {
        ...object,
        apiVersion: object.apiVersion ?? apiVersionOf(type),
        kind: object.kind ?? type.kind,
      };
    } catch (error) {
      if (error instanceof KubeApiError && error.code === 404) return undefined;
      throw error;
    }
  }
}
