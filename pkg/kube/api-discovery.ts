/**
 * What the API server serves: group/kind → resource, scope and preferred version.
 *
 * One request per root through aggregated discovery (`/api` and `/apis` with the
 * apidiscovery.k8s.io/v2 media type, GA since Kubernetes 1.30) instead of one request per group version.
 * Versions come in the server's preference order, so the first is the preferred one. A lookup that misses
 * refreshes once (rate-limited), which picks up CRDs installed after start.
 */
import type { Logger } from 'pino';
import type { KubeClient } from './kube-client.ts';
import type { ResourceType } from './resource-type.ts';

const AGGREGATED_DISCOVERY = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const MISS_REFRESH_INTERVAL_MS = 5_000;

interface DiscoveryResource {
  resource: string;
  responseKind?: { group?: string; version?: string; kind?: string };
  scope?: 'Namespaced' | 'Cluster';
  verbs?: string[];
}

interface DiscoveryList {
  items?: {
    metadata?: { name?: string };
    versions?: { version: string; resources?: DiscoveryResource[] }[];
  }[];
}

export interface DiscoveredType extends ResourceType {
  verbs: string[];
  /** True for the group's preferred version. */
  preferred: boolean;
}

export class ApiDiscovery {
  private types: DiscoveredType[] = [];
  private lastRefresh = 0;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly client: KubeClient,
    private readonly log: Logger,
  ) {}

  /** Fetches discovery now (concurrent callers share one fetch). */
  refresh(): Promise<void> {
    this.refreshing ??= this.fetch().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async fetch(): Promise<void> {
    const roots = await Promise.all(
      ['/api', '/apis'].map((path) =>
        this.client.request<DiscoveryList>('GET', path, { headers: { accept: AGGREGATED_DISCOVERY } }),
      ),
    );
    const types: DiscoveredType[] = [];
    for (const root of roots) {
      for (const group of root.items ?? []) {
        const groupName = group.metadata?.name ?? '';
        (group.versions ?? []).forEach((version, index) => {
          for (const r of version.resources ?? []) {
            types.push({
              group: groupName,
              version: version.version,
              resource: r.resource,
              kind: r.responseKind?.kind ?? '',
              namespaced: r.scope === 'Namespaced',
              verbs: r.verbs ?? [],
              preferred: index === 0,
            });
          }
        });
      }
    }
    this.types = types;
    this.lastRefresh = Date.now();
    this.log.debug({ types: types.length }, 'API discovery refreshed');
  }

  /** All served (group, version, resource) triples; subresources excluded. */
  all(): DiscoveredType[] {
    return this.types;
  }

  /** The preferred version of group/kind, from what was last discovered. */
  forKind(group: string, kind: string): DiscoveredType | undefined {
    const matches = this.types.filter((t) => t.group === group && t.kind === kind);
    return matches.find((t) => t.preferred) ?? matches[0];
  }

  /** Every served version of group/kind, preferred first. */
  versionsOfKind(group: string, kind: string): DiscoveredType[] {
    return this.types.filter((t) => t.group === group && t.kind === kind);
  }

  /** Groups that serve `kind` (for normalising a componentKind whose group is wrong). */
  groupsServingKind(kind: string): string[] {
    return [...new Set(this.types.filter((t) => t.kind === kind && t.preferred).map((t) => t.group))];
  }

  forResource(group: string, resource: string, version?: string): DiscoveredType | undefined {
    const matches = this.types.filter(
      (t) => t.group === group && t.resource === resource && (version === undefined || t.version === version),
    );
    return matches.find((t) => t.preferred) ?? matches[0];
  }

  /** Like forKind, refreshing discovery first when the kind is unknown (at most every few seconds). */
  async resolveKind(group: string, kind: string): Promise<DiscoveredType | undefined> {
    const found = this.forKind(group, kind);
    if (found || Date.now() - this.lastRefresh < MISS_REFRESH_INTERVAL_MS) return found;
    await this.refresh();
    return this.forKind(group, kind);
  }
}
