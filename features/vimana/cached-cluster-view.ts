/**
 * The cluster as admission and the status reconciler see it: a `VimanaClusterView` over informer caches,
 * so that no admission request ever waits on the API server. Lookups go through secondary indexes (by
 * namespace, by Domain id) and are synchronous.
 */
import type { ResourceCache } from '../../pkg/kube/resource-cache.ts';
import type { KubeObject } from '../../pkg/kube/types.ts';
import type { ComponentVersion, GeneratedKind, GeneratedState, VimanaClusterView } from './cluster-view.ts';
import { isBeingDeleted, readString } from './fields.ts';
import { generatedStateOf } from './generated-state.ts';
import type { Component, Domain, Server, Vimana } from './types.ts';

export interface VimanaCaches {
  vimanas: ResourceCache<Vimana>;
  domains: ResourceCache<Domain>;
  servers: ResourceCache<Server>;
  components: ResourceCache<Component>;
  namespaces: ResourceCache;
  /** Secrets of type kubernetes.io/tls only. */
  tlsSecrets: ResourceCache;
  /**
   * The operator's objects whose caches exist from the start (Deployments, Services); Gateway and GRPCRoute
   * are followed later, while their CRDs are installed (`follow`, `unfollow`).
   */
  generated: Partial<Record<GeneratedKind, ResourceCache>>;
}

/** A view whose contents change: what admission needs beyond the lookups. */
export interface LiveClusterView extends VimanaClusterView {
  /** True once every cache has completed its first list. */
  readonly synced: boolean;
  whenSynced(): Promise<void>;
  /** Resolves at the next change of any cache, or after `timeoutMs`, whichever comes first. */
  nextChange(timeoutMs: number): Promise<void>;
}

/** Index names are prefixed: caches are shared across features, and an index name is per cache. */
const BY_NAMESPACE = 'vimana/namespace';
const BY_DOMAIN_ID = 'vimana/domain-id';
const BY_COMPONENT_VERSION = 'vimana/component-version';

/**
 * A Component's namespace, domain, server and version as one index value: R6 looks its twins up without
 * reading every Component of the namespace. JSON keeps it exact (no two tuples share a value).
 */
function componentVersionKey({ namespace, domainId, serverId, version }: ComponentVersion): string {
  return JSON.stringify([namespace, domainId, serverId, version]);
}

function namespacesOf(caches: readonly ResourceCache[]): string[] {
  const namespaces = caches.flatMap((cache) => cache.list().map((object) => object.metadata?.namespace));
  return [...new Set(namespaces.filter((namespace): namespace is string => !!namespace))];
}

export class CachedClusterView implements LiveClusterView {
  /** The caches admission reads: it waits for these to sync, and never for a followed one. */
  private readonly all: ResourceCache[];
  private readonly listeners = new Set<(namespace: string) => void>();
  private readonly generated: Partial<Record<GeneratedKind, ResourceCache>>;
  private readonly unsubscribe = new Map<GeneratedKind, () => void>();

  constructor(private readonly caches: VimanaCaches) {
    const kinds = [caches.vimanas, caches.domains, caches.servers, caches.components] as ResourceCache[];
    for (const cache of kinds) cache.addIndex(BY_NAMESPACE, (object) => [object.metadata?.namespace ?? '']);
    caches.domains.addIndex(BY_DOMAIN_ID, (domain) => {
      const id = readString(domain, 'spec.id');
      return id ? [id] : [];
    });
    caches.components.addIndex(BY_COMPONENT_VERSION, (component) => {
      const domainId = readString(component, 'spec.domain');
      const serverId = readString(component, 'spec.server');
      const version = readString(component, 'spec.version');
      const namespace = component.metadata?.namespace ?? '';
      return domainId === undefined || serverId === undefined || version === undefined
        ? []
        : [componentVersionKey({ namespace, domainId, serverId, version })];
    });
    this.generated = { ...caches.generated };
    this.all = [...kinds, caches.namespaces, caches.tlsSecrets, ...Object.values(caches.generated)];
    for (const cache of this.all) this.subscribe(cache);
  }

  private subscribe(cache: ResourceCache): () => void {
    return cache.onEvent(({ object }) => {
      // A Namespace's own events concern the objects inside it.
      const namespace =
        object.metadata?.namespace ?? (object.kind === 'Namespace' ? object.metadata?.name : '');
      for (const listener of this.listeners) listener(namespace ?? '');
    });
  }

  /**
   * Reads a generated kind from `cache` from now on (its CRD was installed); pass a synced cache, or the
   * computed status would take its objects for absent until it is. Every namespace of the cache counts as
   * changed.
   */
  follow(kind: GeneratedKind, cache: ResourceCache): void {
    this.unfollow(kind);
    this.generated[kind] = cache;
    this.unsubscribe.set(kind, this.subscribe(cache));
    this.changedNamespacesOf([cache]);
  }

  /** Stops reading a generated kind (its CRD was removed): its objects count as absent. */
  unfollow(kind: GeneratedKind): void {
    const cache = this.generated[kind];
    this.unsubscribe.get(kind)?.();
    this.unsubscribe.delete(kind);
    delete this.generated[kind];
    if (cache) this.changedNamespacesOf([cache]);
  }

  /** Tells the listeners that every namespace holding an object of these caches changed. */
  private changedNamespacesOf(caches: readonly ResourceCache[]): void {
    for (const namespace of namespacesOf(caches)) for (const listener of this.listeners) listener(namespace);
  }

  /** Whether a generated kind is read from a cache (its CRD installed, or a core kind). */
  follows(kind: GeneratedKind): boolean {
    return this.generated[kind] !== undefined;
  }

  /** Every namespace that holds a Vimana object. */
  namespaces(): string[] {
    const { vimanas, domains, servers, components } = this.caches;
    return namespacesOf([vimanas, domains, servers, components] as ResourceCache[]);
  }

  get synced(): boolean {
    return this.all.every((cache) => cache.hasSynced);
  }

  async whenSynced(): Promise<void> {
    await Promise.all(this.all.map((cache) => cache.synced));
  }

  /** Calls `listener` with the namespace of every object any cache adds, changes or deletes. */
  onChange(listener: (namespace: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  nextChange(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        unsubscribe();
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      const unsubscribe = this.onChange(done);
    });
  }

  vimanas(namespace: string): readonly Vimana[] {
    return this.caches.vimanas.byIndex(BY_NAMESPACE, namespace);
  }

  domains(namespace: string): readonly Domain[] {
    return this.caches.domains.byIndex(BY_NAMESPACE, namespace);
  }

  domainsWithId(id: string): readonly Domain[] {
    return this.caches.domains.byIndex(BY_DOMAIN_ID, id);
  }

  servers(namespace: string): readonly Server[] {
    return this.caches.servers.byIndex(BY_NAMESPACE, namespace);
  }

  components(namespace: string): readonly Component[] {
    return this.caches.components.byIndex(BY_NAMESPACE, namespace);
  }

  componentsWithVersion(of: ComponentVersion): readonly Component[] {
    return this.caches.components.byIndex(BY_COMPONENT_VERSION, componentVersionKey(of));
  }

  hasTlsSecret(namespace: string, name: string): boolean {
    return this.caches.tlsSecrets.get(namespace, name) !== undefined;
  }

  isNamespaceTerminating(namespace: string): boolean {
    const found: KubeObject | undefined = this.caches.namespaces.get(undefined, namespace);
    return found !== undefined && isBeingDeleted(found);
  }

  generatedState(kind: GeneratedKind, namespace: string, name: string): GeneratedState {
    return generatedStateOf(kind, this.generated[kind]?.get(namespace, name));
  }
}
