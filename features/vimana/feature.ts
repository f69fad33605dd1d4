/**
 * The Vimana admission gate as a prismgate feature: the informer caches the rules and the computed status
 * read, the three admission endpoints over them, and the namespace pass that keeps prismgate's part of
 * each object (its status fields, its in-use finalizer).
 *
 * Caches: the four kinds; Namespaces (a terminating namespace releases every hold); TLS Secrets only
 * (R12); the operator's Deployments, Services and GRPCRoutes, selected by the `vimana.host/domain` label
 * it puts on them; Gateways. The CRDs are followed all along (installed-crds.ts): the gate starts once the
 * Vimana CRDs are installed, the status follows their schema, and Gateway and GRPCRoute are read while
 * their CRDs are installed, however late they come or whenever they go.
 */
import type { ResourceType } from '../../pkg/kube/resource-type.ts';
import { CORE_TYPES } from '../../pkg/kube/resource-type.ts';
import type { CacheScope } from '../../pkg/kube/cache-set.ts';
import type { Feature, SharedServices } from '../feature.ts';
import type { AdmissionEndpoint } from '../../webhook/admission-endpoint.ts';
import { CachedClusterView } from './cached-cluster-view.ts';
import { vimanaEndpoints } from './endpoints.ts';
import { InstalledCrds, VIMANA_CRDS, type GatewayApiKind } from './installed-crds.ts';
import { LABEL_DOMAIN } from './names.ts';
import { InUseProtection } from './protection.ts';
import { VimanaReconciler } from './reconciler.ts';
import { VIMANA_RESOURCES } from './resource-types.ts';
import { StatusChurnWatch } from './status-churn.ts';
import { StatusWriter } from './status-writer.ts';
import { VIMANA_KINDS, type VimanaKind } from './types.ts';
import { VimanaMetrics } from './vimana-metrics.ts';
import { applyStatus, patchFinalizers, releaseAllFinalizers, removeStatusFields } from './writes.ts';

/** The Secrets R12 looks for, by name only (it asks whether one exists): no other Secret, and no key, in memory. */
export const TLS_SECRETS = { fieldSelector: 'type=kubernetes.io/tls', metadataOnly: true };

/** The operator labels what it generates for a Domain; only those objects are cached. */
const GENERATED_BY_OPERATOR: CacheScope = { labelSelector: LABEL_DOMAIN };

/** A followed Gateway API kind: the cache it is read from, and how it was acquired. */
interface Followed {
  type: ResourceType;
  scope: CacheScope;
}

export class VimanaFeature implements Feature {
  readonly name = 'vimana';
  private services: SharedServices | undefined;
  private crds: InstalledCrds | undefined;
  private metrics: VimanaMetrics | undefined;
  private view: CachedClusterView | undefined;
  private reconciler: VimanaReconciler | undefined;
  private statusWriter: StatusWriter | undefined;
  private endpoints: AdmissionEndpoint[] = [];
  private readonly followed = new Map<GatewayApiKind, Followed>();
  /** The Vimana kinds whose CRDs were installed when last looked at. */
  private readonly installedKinds = new Set<VimanaKind>();

  /**
   * Without the Vimana CRDs there is nothing to cache and nothing to guard: no Vimana object can be
   * written. Caches of unserved kinds would never sync and would hold the whole process unready, so the
   * gate starts once the CRDs are installed; until then its endpoints fail closed, saying why.
   */
  start(services: SharedServices): void {
    this.services = services;
    this.endpoints = vimanaEndpoints(() => this.view);
    this.metrics = new VimanaMetrics(services.registry);
    const crds = new InstalledCrds(services.caches, services.log, this.metrics);
    this.crds = crds;
    crds.onChange(() => this.followCrds());
    crds.start();
    void crds.whenSynced().then(() => {
      if (!this.view)
        services.log.warn(
          'the Vimana CRDs are not installed (see docs/vimana-operator.md); the Vimana gate waits for them',
        );
    });
  }

  private followCrds(): void {
    const crds = this.crds!;
    if (!this.view && crds.installed(VIMANA_CRDS.Vimana)) this.startGate(this.services!, crds);
    if (!this.view) return;
    // A CRD installed again: its cache has been failing to list, and lists now rather than after its backoff.
    for (const kind of VIMANA_KINDS) {
      const installed = crds.installed(VIMANA_CRDS[kind]);
      if (installed && !this.installedKinds.has(kind))
        this.services!.caches.get(VIMANA_RESOURCES[kind]).requestRelist();
      if (installed) this.installedKinds.add(kind);
      else this.installedKinds.delete(kind);
    }
    for (const kind of ['Gateway', 'GRPCRoute'] as const) void this.followGatewayApi(kind);
    // The schema may now keep more or fewer of prismgate's fields, or a kind's objects came or went:
    // what was refused or pruned before is worth sending again.
    this.statusWriter?.forgetRefusals();
    for (const namespace of this.view.namespaces()) this.reconciler?.enqueue(namespace);
  }

  /** Reads a Gateway API kind while its CRD is installed; its cache is released when the CRD goes. */
  private async followGatewayApi(kind: GatewayApiKind): Promise<void> {
    const { caches } = this.services!;
    const type = this.crds!.gatewayApiResource(kind);
    const current = this.followed.get(kind);
    if (current && type && current.type.version === type.version) return;
    if (current) {
      this.followed.delete(kind);
      this.view?.unfollow(kind);
      await caches.release(current.type, current.scope);
    }
    if (!type) return;
    const scope = kind === 'GRPCRoute' ? GENERATED_BY_OPERATOR : {};
    const followed = { type, scope };
    this.followed.set(kind, followed);
    const cache = caches.acquire(type, scope);
    await cache.synced;
    // Still the one to follow (the CRD may have gone again while the cache listed).
    if (this.followed.get(kind) === followed) this.view?.follow(kind, cache);
  }

  private startGate(
    { caches, client, log, leadership, registry }: SharedServices,
    crds: InstalledCrds,
  ): void {
    const view = new CachedClusterView({
      vimanas: caches.get(VIMANA_RESOURCES.Vimana),
      domains: caches.get(VIMANA_RESOURCES.Domain),
      servers: caches.get(VIMANA_RESOURCES.Server),
      components: caches.get(VIMANA_RESOURCES.Component),
      namespaces: caches.get(CORE_TYPES.namespaces),
      tlsSecrets: caches.get(CORE_TYPES.secrets, TLS_SECRETS),
      generated: {
        Deployment: caches.get(CORE_TYPES.deployments, GENERATED_BY_OPERATOR),
        Service: caches.get(CORE_TYPES.services, GENERATED_BY_OPERATOR),
      },
    });
    const statusWriter = new StatusWriter({
      view,
      schemaOf: (kind) => crds.schemaOf(kind),
      applyStatus: (apply) => applyStatus(client, apply),
      removeStatusFields: (removal) => removeStatusFields(client, removal),
    });
    const reconciler = new VimanaReconciler({
      view,
      steps: [
        statusWriter,
        new InUseProtection({ view, patchFinalizers: (patch) => patchFinalizers(client, patch) }),
      ],
      installed: (kind) => crds.schemaOf(kind) !== undefined,
      // Only the leader writes, so replicas never race on the same object.
      active: () => leadership.isLeader(),
      log: log.child({ component: 'vimana-reconciler' }),
      metrics: this.metrics,
    });
    view.onChange((namespace) => reconciler.enqueue(namespace));
    const churn = new StatusChurnWatch(log.child({ component: 'vimana-status-churn' }), registry);
    for (const kind of VIMANA_KINDS)
      caches.get(VIMANA_RESOURCES[kind]).onEvent(({ type, old, object }) => {
        if (type === 'MODIFIED') churn.observe(kind, old, object);
      });
    // A new leader brings every namespace up to date: the previous leader may have left work undone.
    leadership.onChange((leading) => {
      if (leading) for (const namespace of view.namespaces()) reconciler.enqueue(namespace);
    });
    void view.whenSynced().then(() => reconciler.start());
    this.view = view;
    this.reconciler = reconciler;
    this.statusWriter = statusWriter;
    for (const kind of VIMANA_KINDS) if (crds.installed(VIMANA_CRDS[kind])) this.installedKinds.add(kind);
  }

  admissionEndpoints(): AdmissionEndpoint[] {
    return this.endpoints;
  }

  /** Ready once the caches synced; without the CRDs there is nothing to be ready for. */
  ready(): boolean {
    return this.view?.synced ?? true;
  }

  /** Resolves once the reconciler has nothing left to do (the benchmark measures in quiet). */
  whenStatusSettled(): Promise<void> {
    return this.reconciler?.whenIdle() ?? Promise.resolve();
  }

  /**
   * prismgate is being removed: no finalizer of its may outlive it, or every Vimana object would stay
   * Terminating forever once deleted. The pass stops first, so it cannot put one back.
   */
  async uninstall(): Promise<void> {
    await this.reconciler?.stop();
    if (!this.services || !this.view) return;
    const released = await releaseAllFinalizers(this.services.client);
    this.services.log.info({ released }, 'prismgate’s in-use finalizer taken off every Vimana object');
  }

  async stop(): Promise<void> {
    this.crds?.stop();
    await this.reconciler?.stop();
    for (const [kind, { type, scope }] of this.followed) {
      this.followed.delete(kind);
      await this.services?.caches.release(type, scope);
    }
  }
}
