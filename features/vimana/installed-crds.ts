/**
 * Which of the CRDs the Vimana feature depends on are installed, and what their schemas allow, followed
 * for as long as prismgate runs: the four Vimana CRDs (whose status schema decides what prismgate may
 * write, installed-schema.ts) and the Gateway API's Gateway and GRPCRoute (whose objects the computed
 * status reads, when there are any). Any of them may be installed after prismgate starts, replaced by
 * another version (the operator's install over prismgate's, or the reverse), or removed.
 *
 * Each CRD is watched on its own (a cache selected by `metadata.name`), so prismgate never holds every
 * CRD of a cluster in memory. A CRD counts as installed once it is Established; every change is logged
 * with what it means for prismgate and shown in `prismgate_vimana_crd_installed` and
 * `prismgate_vimana_status_fields_writable`.
 */
import type { Logger } from 'pino';
import type { CacheSet } from '../../pkg/kube/cache-set.ts';
import type { ResourceCache } from '../../pkg/kube/resource-cache.ts';
import { CORE_TYPES, type ResourceType } from '../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../pkg/kube/types.ts';
import { readPath, readString } from './fields.ts';
import {
  conditionSchema,
  declaresStatusField,
  installedStatusSchema,
  type InstalledStatusSchema,
} from './installed-schema.ts';
import { VIMANA_RESOURCES } from './resource-types.ts';
import { DERIVED_STATUS_FIELDS } from './status-fields.ts';
import { VIMANA_GROUP, VIMANA_KINDS, type VimanaKind } from './types.ts';
import type { VimanaMetrics } from './vimana-metrics.ts';

/** The Gateway API kinds whose objects the computed status reads. */
export type GatewayApiKind = 'Gateway' | 'GRPCRoute';

export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

const crdName = (plural: string, group: string) => `${plural}.${group}`;

export const VIMANA_CRDS: Record<VimanaKind, string> = Object.fromEntries(
  VIMANA_KINDS.map((kind) => [kind, crdName(VIMANA_RESOURCES[kind].resource, VIMANA_GROUP)]),
) as Record<VimanaKind, string>;

export const GATEWAY_API_CRDS: Record<GatewayApiKind, string> = {
  Gateway: crdName('gateways', GATEWAY_API_GROUP),
  GRPCRoute: crdName('grpcroutes', GATEWAY_API_GROUP),
};

function established(crd: unknown): boolean {
  const conditions = readPath(crd, 'status.conditions');
  return (Array.isArray(conditions) ? conditions : []).some(
    (condition: unknown) =>
      readString(condition, 'type') === 'Established' && readString(condition, 'status') === 'True',
  );
}

/**
 * The resource a CRD serves, at the version the API server prefers (the storage version when it is
 * served, else the first served one): what a cache of its objects lists and watches.
 */
export function servedResource(crd: unknown): ResourceType | undefined {
  const versions = readPath(crd, 'spec.versions');
  const served = (Array.isArray(versions) ? versions : []).filter(
    (version: unknown) => readPath(version, 'served') === true,
  );
  const version = served.find((candidate: unknown) => readPath(candidate, 'storage') === true) ?? served[0];
  const group = readString(crd, 'spec.group');
  const resource = readString(crd, 'spec.names.plural');
  const kind = readString(crd, 'spec.names.kind');
  const name = readString(version, 'name');
  if (!group || !resource || !kind || !name) return undefined;
  return { group, version: name, resource, kind, namespaced: readString(crd, 'spec.scope') === 'Namespaced' };
}

/** How many of prismgate's status fields (its condition included) a schema keeps. */
export function writableFieldCount(kind: VimanaKind, schema: InstalledStatusSchema | undefined): number {
  if (!schema) return 0;
  const fields = (DERIVED_STATUS_FIELDS[kind] as readonly string[]).filter((field) =>
    declaresStatusField(schema, field),
  );
  return fields.length + (conditionSchema(schema) ? 1 : 0);
}

/**
 * How long after a CRD's schema changes prismgate starts writing by it. kube-apiserver starts serving a
 * changed schema when its own informer sees the change, which may be a moment after prismgate's watch
 * delivered it; writes in between would be pruned by the old schema.
 */
const SCHEMA_SETTLE_MS = 2_000;

export class InstalledCrds {
  private readonly caches = new Map<string, ResourceCache>();
  private readonly schemas = new Map<VimanaKind, InstalledStatusSchema>();
  private readonly listeners = new Set<(crd: string) => void>();
  private readonly settling = new Map<VimanaKind, NodeJS.Timeout>();

  constructor(
    private readonly cacheSet: CacheSet,
    private readonly log: Logger,
    private readonly metrics: VimanaMetrics,
  ) {}

  /** Starts one watch per CRD; `onChange` listeners hear of every CRD that appears, changes or goes. */
  start(): void {
    for (const name of [...Object.values(VIMANA_CRDS), ...Object.values(GATEWAY_API_CRDS)]) {
      const cache = this.cacheSet.get(CORE_TYPES.customResourceDefinitions, {
        fieldSelector: `metadata.name=${name}`,
      });
      this.caches.set(name, cache);
      this.metrics.crdInstalled.set({ crd: name }, 0);
      cache.onEvent(({ type, object, old }) =>
        this.changed(name, type === 'DELETED' ? undefined : object, old),
      );
    }
  }

  stop(): void {
    for (const timer of this.settling.values()) clearTimeout(timer);
    this.settling.clear();
  }

  whenSynced(): Promise<void> {
    return Promise.all([...this.caches.values()].map((cache) => cache.synced)).then(() => undefined);
  }

  onChange(listener: (crd: string) => void): void {
    this.listeners.add(listener);
  }

  private crd(name: string): KubeObject | undefined {
    const crd = this.caches.get(name)?.get(undefined, name);
    return crd && established(crd) ? crd : undefined;
  }

  installed(name: string): boolean {
    return this.crd(name) !== undefined;
  }

  /** The status schema of a Vimana kind as installed; undefined while its CRD is not (nothing is written). */
  schemaOf(kind: VimanaKind): InstalledStatusSchema | undefined {
    return this.schemas.get(kind);
  }

  /** The resource a Gateway API kind is served as, while its CRD is installed. */
  gatewayApiResource(kind: GatewayApiKind): ResourceType | undefined {
    const crd = this.crd(GATEWAY_API_CRDS[kind]);
    return crd && servedResource(crd);
  }

  private changed(name: string, crd: KubeObject | undefined, old: KubeObject | undefined): void {
    const present = crd !== undefined && established(crd);
    const was = old !== undefined && established(old);
    this.metrics.crdInstalled.set({ crd: name }, present ? 1 : 0);
    const kind = VIMANA_KINDS.find((candidate) => VIMANA_CRDS[candidate] === name);
    if (!kind) {
      if (present !== was)
        this.log.info(
          { crd: name },
          present
            ? 'Gateway API CRD installed: the computed status now follows these objects'
            : 'Gateway API CRD removed: the computed status treats these objects as absent',
        );
      this.notify(name);
      return;
    }
    clearTimeout(this.settling.get(kind));
    this.settling.delete(kind);
    // A schema seen for the first time is served already (Established); a changed one a moment later.
    if (!present || !this.schemas.has(kind)) {
      this.followSchema(kind, name, present ? crd : undefined);
      this.notify(name);
      return;
    }
    const timer = setTimeout(() => {
      this.settling.delete(kind);
      this.followSchema(kind, name, this.crd(name));
      this.notify(name);
    }, SCHEMA_SETTLE_MS);
    timer.unref();
    this.settling.set(kind, timer);
  }

  private notify(name: string): void {
    for (const listener of this.listeners) listener(name);
  }

  private followSchema(kind: VimanaKind, name: string, crd: KubeObject | undefined): void {
    const before = this.schemas.get(kind);
    const schema = crd && installedStatusSchema(crd);
    if (schema) this.schemas.set(kind, schema);
    else this.schemas.delete(kind);
    const writable = writableFieldCount(kind, schema);
    this.metrics.writableStatusFields.set({ kind }, writable);
    if (before?.generation === schema?.generation && (before === undefined) === (schema === undefined))
      return;
    if (!schema)
      this.log.warn(
        { crd: name },
        `the ${kind} CRD (v1alpha1) is not installed: no ${kind} can be written, prismgate writes nothing to any`,
      );
    else if (!schema.subresource || !schema.status)
      this.log.warn(
        { crd: name, generation: schema.generation },
        `the ${kind} CRD has no status ${schema.subresource ? 'schema' : 'subresource'}: prismgate writes no ${kind} status`,
      );
    else
      this.log.info(
        {
          crd: name,
          generation: schema.generation,
          writableFields: writable,
          conditionsByType: schema.conditionsByType,
        },
        `the ${kind} CRD's status schema keeps ${writable} of prismgate's status fields; prismgate writes only those`,
      );
  }
}
