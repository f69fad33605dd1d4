/**
 * The pattern functions' view of the cluster (`ResourceReader` of features/kappnav/actions): what `kubectlGet`,
 * `podlist`, `apppodlist` and `replicaset` read, with prismgate's own identity, through one GET per object
 * or per list. Resource arguments are read as kubectl reads them (`pods`, `pod`, `Pod`, `deployments.apps`,
 * `deployment.v1.apps`, `routes.route.openshift.io`); kubectl's short names (`po`, `deploy`) are not known
 * to discovery here and are refused with the reason. Callers check the user's permissions
 * (`AuthorizedResourceReader`).
 */
import type { ApiDiscovery, DiscoveredType } from '../../../pkg/kube/api-discovery.ts';
import { KubeApiError, type KubeClient } from '../../../pkg/kube/kube-client.ts';
import {
  apiVersionOf,
  collectionPath,
  objectPath,
  type ResourceType,
} from '../../../pkg/kube/resource-type.ts';
import type { KubeList, KubeObject } from '../../../pkg/kube/types.ts';
import type { ListOptions, ResourceReader } from '../actions/resource-reader.ts';

/** An unknown resource argument asks discovery again (a CRD installed since), at most this often. */
const MISS_REFRESH_INTERVAL_MS = 5_000;
/** Reads on behalf of a pattern are short: the whole resolution is one request of a user. */
const READ_TIMEOUT_MS = 10_000;

/** The type a kubectl resource argument names: `<name>`, `<name>.<group>` or `<name>.<version>.<group>`. */
export function typeForArgument(
  types: readonly DiscoveredType[],
  argument: string,
): ResourceType | undefined {
  const dot = argument.indexOf('.');
  const name = dot < 0 ? argument : argument.slice(0, dot);
  const qualifier = dot < 0 ? undefined : argument.slice(dot + 1);
  const matches = types.filter(
    (type) =>
      type.verbs.includes('get') &&
      (type.resource === name || type.kind.toLowerCase() === name.toLowerCase()) &&
      (qualifier === undefined
        ? type.preferred
        : type.group === qualifier || `${type.version}.${type.group}` === qualifier),
  );
  // Discovery lists the core group first, then groups in the server's priority order, as kubectl ranks them.
  return matches.find((type) => type.preferred) ?? matches[0];
}

function withTypeMeta(type: ResourceType, object: KubeObject): KubeObject {
  return { ...object, apiVersion: object.apiVersion ?? apiVersionOf(type), kind: object.kind ?? type.kind };
}

export class ClusterResourceReader implements ResourceReader {
  private lastRefresh = 0;

  constructor(
    private readonly client: Pick<KubeClient, 'request'>,
    private readonly discovery: Pick<ApiDiscovery, 'all' | 'refresh'>,
  ) {}

  async resolveType(name: string): Promise<ResourceType | undefined> {
    const found = typeForArgument(this.discovery.all(), name);
    if (found || Date.now() - this.lastRefresh < MISS_REFRESH_INTERVAL_MS) return found;
    this.lastRefresh = Date.now();
    await this.discovery.refresh();
    return typeForArgument(this.discovery.all(), name);
  }

  async get(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
  ): Promise<KubeObject | undefined> {
    try {
      const object = await this.client.request<KubeObject>('GET', objectPath(type, namespace, name), {
        timeoutMs: READ_TIMEOUT_MS,
      });
      return withTypeMeta(type, object);
    } catch (error) {
      if (error instanceof KubeApiError && error.code === 404) return undefined;
      throw error;
    }
  }

  async list(type: ResourceType, options: ListOptions): Promise<KubeObject[]> {
    const list = await this.client.request<KubeList>('GET', collectionPath(type, options.namespace), {
      query: { labelSelector: options.labelSelector || undefined },
      timeoutMs: READ_TIMEOUT_MS,
    });
    return list.items.map((item) => withTypeMeta(type, item));
  }
}
