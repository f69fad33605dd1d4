/**
 * An informer: a local, always-current copy of one resource type, kept by list + watch.
 *
 * Admission decisions and the prism API read these caches, never the API server, so a request never waits
 * on a live GET (Kyverno #3390) and the API server is not asked for every kind on every request.
 *
 * The JavaScript client's watches are known to stop silently after minutes to hours, with no error and no
 * end of stream (kubernetes-client/javascript#596, Pepr #745). So this cache trusts no watch: it asks for
 * bookmarks (the API server sends one about every minute), aborts a watch that has been silent longer
 * than `watchIdleTimeoutMs`, bounds every watch with a server-side timeout, and re-lists periodically. A
 * re-list compares the fresh list with the cache and reports what changed, deletions included, so
 * consumers never miss an event across a broken watch.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { KubeApiError, type KubeClient } from './kube-client.ts';
import { apiVersionOf, collectionPath, type ResourceType } from './resource-type.ts';
import {
  keyOf,
  objectKey,
  type KubeList,
  type KubeObject,
  type KubeStatus,
  type WatchEvent,
} from './types.ts';

export type CacheEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface CacheEvent<T extends KubeObject> {
  type: CacheEventType;
  object: T;
  /** The previous version, for MODIFIED and DELETED. */
  old?: T;
  /** True when the event was found by a re-list rather than delivered by a watch. */
  fromRelist: boolean;
}

export type CacheListener<T extends KubeObject> = (event: CacheEvent<T>) => void;
export type IndexFunction<T extends KubeObject> = (object: T) => string[];

/** What byIndex answers for a value no object holds. */
const NONE: readonly never[] = Object.freeze([]);

interface CacheIndex<T extends KubeObject> {
  fn: IndexFunction<T>;
  /** Keys of the objects under each value. */
  entries: Map<string, Set<string>>;
  /** The objects under a value as last read, until one of them changes (see byIndex). */
  snapshots: Map<string, readonly T[]>;
}

export interface ResourceCacheOptions {
  client: KubeClient;
  type: ResourceType;
  /** Watch one namespace only; all namespaces by default. */
  namespace?: string;
  labelSelector?: string;
  /** e.g. `metadata.name=x`: lets a role restricted by resourceNames list and watch its one object. */
  fieldSelector?: string;
  /**
   * Keep only what identifies each object (name, namespace, uid, resourceVersion, labels, owners…), for
   * consumers that ask whether something exists: the API server sends PartialObjectMetadata, and
   * annotations are dropped too (kubectl's last-applied-configuration annotation repeats an object's
   * data). A Secret cached so holds no key.
   */
  metadataOnly?: boolean;
  log: Logger;
  /** Re-list this often even when the watch looks healthy. */
  resyncIntervalMs?: number;
  /** Abort and restart a watch that delivered nothing, not even a bookmark, for this long. */
  watchIdleTimeoutMs?: number;
  /** The API server ends each watch after this long; the cache then continues from its resourceVersion. */
  watchTimeoutSeconds?: number;
  pageSize?: number;
  /**
   * A list page not answered within this long fails and is retried (default 60 s). A pooled keep-alive
   * connection that died silently is only found out this way, so it bounds how long recovery can take.
   */
  listTimeoutMs?: number;
}

class GoneError extends Error {}

/** kube-apiserver's conversion to metadata only (as client-go's metadata informers ask for it). */
export const METADATA_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
const METADATA_WATCH = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';
/** What a metadata-only cache keeps of an object's metadata. */
const IDENTITY_FIELDS = [
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'labels',
  'ownerReferences',
  'finalizers',
] as const;

function identityOf<T extends KubeObject>(object: T, type: ResourceType): T {
  const metadata = object.metadata ?? {};
  const kept = Object.fromEntries(
    IDENTITY_FIELDS.filter((field) => metadata[field] !== undefined).map((field) => [field, metadata[field]]),
  );
  return { apiVersion: apiVersionOf(type), kind: type.kind, metadata: kept } as T;
}

export class ResourceCache<T extends KubeObject = KubeObject> {
  readonly type: ResourceType;
  private readonly store = new Map<string, T>();
  private readonly indexes = new Map<string, CacheIndex<T>>();
  private readonly listeners = new Set<CacheListener<T>>();
  private resourceVersion = '';
  private stopped = false;
  private needsList = true;
  private watchAbort: AbortController | undefined;
  /** Cuts the wait between failed attempts short (requestRelist, stop). */
  private backoffAbort: AbortController | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private loop: Promise<void> | undefined;
  private syncedResolve!: () => void;
  /** Resolves once the first list has filled the cache. */
  readonly synced: Promise<void>;
  private isSynced = false;
  /** Time of the last successful list or watch event/bookmark (ms since epoch). */
  lastActivity = 0;
  /** How many times a silent watch was aborted by the watchdog (for metrics and tests). */
  watchdogRestarts = 0;
  relists = 0;
  /**
   * True while the API server forbids listing or watching (RBAC). Such a cache counts as synced, empty:
   * prismgate sees nothing it may not read, and one kind it may not read (an Application may name any)
   * must not hold the whole process unready. It keeps asking, so a later grant fills it.
   */
  forbidden = false;

  constructor(private readonly options: ResourceCacheOptions) {
    this.type = options.type;
    this.synced = new Promise((resolve) => (this.syncedResolve = resolve));
  }

  get hasSynced(): boolean {
    return this.isSynced;
  }

  /** Adds a secondary index, e.g. Servers by `spec.domain`; built from what the cache holds already. */
  addIndex(name: string, fn: IndexFunction<T>): this {
    if (this.indexes.has(name)) return this;
    const entries = new Map<string, Set<string>>();
    for (const [key, object] of this.store) {
      for (const value of fn(object)) {
        let set = entries.get(value);
        if (!set) entries.set(value, (set = new Set()));
        set.add(key);
      }
    }
    this.indexes.set(name, { fn, entries, snapshots: new Map() });
    return this;
  }

  onEvent(listener: CacheListener<T>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.store.get(objectKey(this.type.namespaced ? namespace : undefined, name));
  }

  /** Every object, or those of one namespace. */
  list(namespace?: string): T[] {
    const all = [...this.store.values()];
    return namespace === undefined ? all : all.filter((o) => o.metadata?.namespace === namespace);
  }

  /**
   * The objects an index holds under a value. Admission reads the same few values many times between two
   * changes (every review, and every object of a status pass, asks for its namespace's Components), so the
   * array is kept until an object under that value changes; callers must not modify it.
   */
  byIndex(name: string, value: string): readonly T[] {
    const index = this.indexes.get(name);
    if (!index) throw new Error(`no index ${name} on ${this.type.resource}`);
    const keys = index.entries.get(value);
    // Values come from requests too (a review's domain id): a miss is answered without being kept.
    if (!keys) return NONE;
    let objects = index.snapshots.get(value);
    if (!objects) {
      const found: T[] = [];
      for (const key of keys) {
        const object = this.store.get(key);
        if (object) found.push(object);
      }
      index.snapshots.set(value, (objects = Object.freeze(found)));
    }
    return objects;
  }

  get size(): number {
    return this.store.size;
  }

  /** Starts listing and watching in the background; `await cache.synced` for the first list. */
  start(): this {
    this.loop ??= this.run();
    this.resyncTimer = setInterval(() => this.requestRelist(), this.options.resyncIntervalMs ?? 10 * 60_000);
    this.resyncTimer.unref();
    return this;
  }

  /**
   * Forces a fresh list at the next opportunity (also used by the periodic resync); a cache waiting out
   * the backoff after failures lists at once (the resource it failed on, a CRD, was just installed).
   */
  requestRelist(): void {
    this.needsList = true;
    this.watchAbort?.abort();
    this.backoffAbort?.abort();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.resyncTimer);
    this.watchAbort?.abort();
    this.backoffAbort?.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    let backoffMs = 500;
    while (!this.stopped) {
      try {
        if (this.needsList) await this.relist();
        await this.watch();
        backoffMs = 500;
      } catch (error) {
        if (this.stopped) break;
        if (error instanceof GoneError || (error instanceof KubeApiError && error.code === 410)) {
          this.options.log.debug(
            { resource: this.type.resource },
            'watch resourceVersion expired; re-listing',
          );
          this.needsList = true;
          continue;
        }
        if (error instanceof KubeApiError && error.code === 403) this.markForbidden(error);
        else
          this.options.log.warn({ resource: this.type.resource, err: error }, 'list/watch failed; retrying');
        this.needsList = true;
        this.backoffAbort = new AbortController();
        await sleep(backoffMs, undefined, { signal: this.backoffAbort.signal }).catch(() => undefined);
        this.backoffAbort = undefined;
        backoffMs = Math.min(backoffMs * 2, 30_000);
      }
    }
  }

  private async relist(): Promise<void> {
    const fresh = new Map<string, T>();
    let continueToken: string | undefined;
    let resourceVersion = '';
    do {
      const page = await this.options.client.request<KubeList<T>>(
        'GET',
        collectionPath(this.type, this.options.namespace),
        {
          query: {
            limit: this.options.pageSize ?? 500,
            continue: continueToken,
            labelSelector: this.options.labelSelector,
            fieldSelector: this.options.fieldSelector,
          },
          timeoutMs: this.options.listTimeoutMs ?? 60_000,
          ...(this.options.metadataOnly ? { headers: { accept: METADATA_LIST } } : {}),
        },
      );
      for (const item of page.items) {
        const object = this.cached(item);
        fresh.set(keyOf(object), object);
      }
      continueToken = page.metadata?.continue || undefined;
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
    } while (continueToken);

    const events: CacheEvent<T>[] = [];
    for (const [key, old] of this.store) {
      if (!fresh.has(key)) events.push({ type: 'DELETED', object: old, old, fromRelist: true });
    }
    for (const [key, object] of fresh) {
      const old = this.store.get(key);
      if (!old) events.push({ type: 'ADDED', object, fromRelist: true });
      else if (old.metadata?.resourceVersion !== object.metadata?.resourceVersion) {
        events.push({ type: 'MODIFIED', object, old, fromRelist: true });
      }
    }
    for (const event of events) this.apply(event);
    this.resourceVersion = resourceVersion;
    this.needsList = false;
    this.forbidden = false;
    this.relists += 1;
    this.lastActivity = Date.now();
    if (!this.isSynced) {
      this.isSynced = true;
      this.syncedResolve();
    }
  }

  private markForbidden(error: KubeApiError): void {
    if (!this.forbidden)
      this.options.log.error(
        { resource: this.type.resource, group: this.type.group, err: error },
        'prismgate may not list or watch this resource (RBAC); its cache stays empty and asks again',
      );
    this.forbidden = true;
    // The API server answered (with its refusal): the empty cache is as current as the answer. Left at 0,
    // every read served from these caches was flagged "not refreshed for 56 years".
    this.lastActivity = Date.now();
    if (!this.isSynced) {
      this.isSynced = true;
      this.syncedResolve();
    }
  }

  private async watch(): Promise<void> {
    // stop() during a list found no watch to abort; starting one now would outlive the cache.
    if (this.stopped) return;
    const abort = new AbortController();
    this.watchAbort = abort;
    const idleMs = this.options.watchIdleTimeoutMs ?? 90_000;
    let idleTimer: NodeJS.Timeout | undefined;
    const armWatchdog = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        this.watchdogRestarts += 1;
        this.options.log.warn(
          { resource: this.type.resource, idleMs },
          'watch silent for too long (no event, no bookmark); restarting it',
        );
        abort.abort();
      }, idleMs);
    };
    armWatchdog();
    const seconds = this.options.watchTimeoutSeconds ?? 300;
    try {
      await this.options.client.stream(
        collectionPath(this.type, this.options.namespace),
        {
          watch: 1,
          resourceVersion: this.resourceVersion,
          allowWatchBookmarks: true,
          // Jitter so that many caches do not all reconnect in the same second.
          timeoutSeconds: Math.round(seconds * (0.9 + Math.random() * 0.2)),
          labelSelector: this.options.labelSelector,
          fieldSelector: this.options.fieldSelector,
        },
        (line) => {
          armWatchdog();
          this.onWatchEvent(line as WatchEvent<T>);
        },
        abort.signal,
        this.options.metadataOnly ? { accept: METADATA_WATCH } : undefined,
      );
    } finally {
      clearTimeout(idleTimer);
      this.watchAbort = undefined;
    }
  }

  private onWatchEvent(event: WatchEvent<T>): void {
    this.lastActivity = Date.now();
    if (event.type === 'ERROR') {
      const status = event.object as unknown as KubeStatus;
      if (status.code === 410) throw new GoneError(status.message);
      throw new KubeApiError(status.code ?? 500, status, `watch error: ${status.message}`);
    }
    const rv = event.object.metadata?.resourceVersion;
    if (rv) this.resourceVersion = rv;
    if (event.type === 'BOOKMARK') return;
    const object = this.cached(event.object);
    const key = keyOf(object);
    const old = this.store.get(key);
    if (event.type === 'DELETED') {
      if (old) this.apply({ type: 'DELETED', object, old, fromRelist: false });
    } else {
      this.apply({ type: old ? 'MODIFIED' : 'ADDED', object, old, fromRelist: false });
    }
  }

  /** An object as the cache keeps it: with apiVersion and kind, and only its identity if metadata only. */
  private cached(item: T): T {
    if (this.options.metadataOnly) return identityOf(item, this.type);
    // List items carry no apiVersion/kind; consumers (and the prism API) expect them.
    return {
      ...item,
      apiVersion: item.apiVersion ?? apiVersionOf(this.type),
      kind: item.kind ?? this.type.kind,
    };
  }

  private apply(event: CacheEvent<T>): void {
    const key = keyOf(event.object);
    for (const { fn, entries, snapshots } of this.indexes.values()) {
      if (event.old) {
        for (const value of fn(event.old)) {
          const set = entries.get(value);
          // A value no object holds any more is dropped, so the index does not grow with every value seen.
          if (set?.delete(key) && set.size === 0) entries.delete(value);
          snapshots.delete(value);
        }
      }
      if (event.type !== 'DELETED') {
        for (const value of fn(event.object)) {
          let set = entries.get(value);
          if (!set) entries.set(value, (set = new Set()));
          set.add(key);
          snapshots.delete(value);
        }
      }
    }
    if (event.type === 'DELETED') this.store.delete(key);
    else this.store.set(key, event.object);
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.options.log.error({ resource: this.type.resource, err: error }, 'cache listener failed');
      }
    }
  }
}
