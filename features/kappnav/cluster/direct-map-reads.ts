/**
 * ConfigMaps read by name, for the instance-level maps no informer holds: kAppNav's apis found an action,
 * status or section map without the `kappnav.io/map-type` label too (its ConfigMapCache fell back to a
 * direct read and only logged a warning), and its own test data ships such maps. Caching every ConfigMap
 * of the cluster for them would be wasteful, so each map asked for is read once and kept for `ttlMs`,
 * found or not, for at most `capacity` names (the oldest read goes first).
 *
 * Lookups stay synchronous, as the model's are: a name not (or no longer) known answers what was last
 * read, or nothing, and starts one read in the background; `onRead` reports an answer that differs from
 * the last, so that the model is computed again with it.
 */
import type { ConfigMap } from '../kam/config-map-source.ts';

export interface DirectMapReadOptions {
  ttlMs?: number;
  capacity?: number;
  now?: () => number;
}

interface Entry {
  map: ConfigMap | undefined;
  expires: number;
}

const key = (namespace: string, name: string) => `${namespace}/${name}`;
const versionOf = (map: ConfigMap | undefined) => map?.metadata?.resourceVersion ?? (map ? '?' : '');

export class DirectMapReads {
  private readonly entries = new Map<string, Entry>();
  private readonly reading = new Set<string>();
  private readonly ttlMs: number;
  private readonly capacity: number;
  private readonly now: () => number;

  constructor(
    private readonly read: (namespace: string, name: string) => Promise<ConfigMap | undefined>,
    private readonly onRead: (map: ConfigMap) => void,
    options: DirectMapReadOptions = {},
  ) {
    // Ten minutes, 8192 names: every component of a large cluster asks for a few instance-level map
    // names, nearly all of them missing; a change of an unlabelled map shows within the TTL.
    this.ttlMs = options.ttlMs ?? 600_000;
    this.capacity = options.capacity ?? 8192;
    this.now = options.now ?? Date.now;
  }

  get(namespace: string, name: string): ConfigMap | undefined {
    const id = key(namespace, name);
    const entry = this.entries.get(id);
    if (!entry || entry.expires <= this.now()) this.refresh(id, namespace, name);
    return entry?.map;
  }

  /** Reads in flight, for tests and shutdown to wait on. */
  get pending(): number {
    return this.reading.size;
  }

  private refresh(id: string, namespace: string, name: string): void {
    if (this.reading.has(id)) return;
    this.reading.add(id);
    void this.read(namespace, name)
      .then(
        (map) => this.store(id, map),
        // A failed read (a timeout, a 403) is kept as "not found" for a TTL, as a missing map is.
        () => this.store(id, undefined),
      )
      .finally(() => this.reading.delete(id));
  }

  private store(id: string, map: ConfigMap | undefined): void {
    const previous = this.entries.get(id);
    this.entries.delete(id);
    this.entries.set(id, { map, expires: this.now() + this.ttlMs });
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    const changed = versionOf(previous?.map) !== versionOf(map);
    const reported = map ?? previous?.map;
    if (changed && reported) this.onRead(reported);
  }
}
