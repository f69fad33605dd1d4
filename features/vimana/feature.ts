/**
 * The Vimana admission gate as a prismgate feature: the informer caches the rules and the computed status
 * read, the three admission endpoints over them, and the status reconciler.
 *
 * Caches: the four kinds; Namespaces (a terminating namespace lets every deletion through); TLS Secrets
 * only (R12); the operator's Deployments, Services and GRPCRoutes, selected by the `vimana.host/domain`
 * label it puts on them; Gateways. Gateway and GRPCRoute are cached only where Gateway API is served.
 */
import { KubeApiError } from '../../pkg/kube/kube-client.ts';
import { CORE_TYPES, objectPath, type ResourceType } from '../../pkg/kube/resource-type.ts';
import type { Feature, SharedServices } from '../feature.ts';
import type { AdmissionEndpoint } from '../../webhook/admission-endpoint.ts';
import { CachedClusterView } from './cached-cluster-view.ts';
import { vimanaEndpoints } from './endpoints.ts';
import { LABEL_DOMAIN } from './names.ts';
import { GATEWAY_API_GROUP, VIMANA_RESOURCES } from './resource-types.ts';
import { VimanaStatusReconciler, type StatusPatch } from './status-reconciler.ts';
import { VIMANA_GROUP, VIMANA_KINDS } from './types.ts';

/** The Secrets R12 looks for, by name only (it asks whether one exists): no other Secret, and no key, in memory. */
export const TLS_SECRETS = { fieldSelector: 'type=kubernetes.io/tls', metadataOnly: true };

/** The field manager of status patches, so `managedFields` tells prismgate's writes from the operator's. */
export const STATUS_FIELD_MANAGER = 'prismgate-vimana-status';

/** How often discovery is asked whether the Vimana CRDs have been installed since start. */
const CRD_POLL_MS = 10_000;

export class VimanaFeature implements Feature {
  readonly name = 'vimana';
  private view: CachedClusterView | undefined;
  private reconciler: VimanaStatusReconciler | undefined;
  private endpoints: AdmissionEndpoint[] = [];
  private crdPoll: NodeJS.Timeout | undefined;

  /**
   * Without the Vimana CRDs there is nothing to cache and nothing to guard: no Vimana object can be
   * written. Caches of unserved kinds would never sync and would hold the whole process unready, so the
   * gate starts once discovery shows the CRDs; until then its endpoints fail closed, saying why.
   */
  start(services: SharedServices): void {
    this.endpoints = vimanaEndpoints(() => this.view);
    if (services.discovery.forKind(VIMANA_GROUP, 'Vimana')) {
      this.startGate(services);
      return;
    }
    services.log.warn(
      'the Vimana CRDs are not served (apply manifests/crds/); the Vimana gate waits for them',
    );
    this.crdPoll = setInterval(() => {
      void services.discovery.refresh().then(
        () => {
          if (this.view || !services.discovery.forKind(VIMANA_GROUP, 'Vimana')) return;
          clearInterval(this.crdPoll);
          this.startGate(services);
        },
        (err: unknown) => services.log.warn({ err }, 'API discovery failed'),
      );
    }, CRD_POLL_MS);
    this.crdPoll.unref();
  }

  private startGate({ caches, discovery, client, log, leadership }: SharedServices): void {
    const served = (kind: string): ResourceType | undefined => discovery.forKind(GATEWAY_API_GROUP, kind);
    const gateway = served('Gateway');
    const route = served('GRPCRoute');
    const generatedByOperator = { labelSelector: LABEL_DOMAIN };
    const view = new CachedClusterView({
      vimanas: caches.get(VIMANA_RESOURCES.Vimana),
      domains: caches.get(VIMANA_RESOURCES.Domain),
      servers: caches.get(VIMANA_RESOURCES.Server),
      components: caches.get(VIMANA_RESOURCES.Component),
      namespaces: caches.get(CORE_TYPES.namespaces),
      tlsSecrets: caches.get(CORE_TYPES.secrets, TLS_SECRETS),
      generated: {
        Deployment: caches.get(CORE_TYPES.deployments, generatedByOperator),
        Service: caches.get(CORE_TYPES.services, generatedByOperator),
        ...(gateway && { Gateway: caches.get(gateway) }),
        ...(route && { GRPCRoute: caches.get(route, generatedByOperator) }),
      },
    });
    const reconciler = new VimanaStatusReconciler({
      view,
      log: log.child({ component: 'vimana-status' }),
      patchStatus: async ({ kind, namespace, name, body }: StatusPatch) => {
        // Every replica computes; only the leader writes, so replicas never race on the same status.
        if (!leadership.isLeader()) return;
        try {
          await client.request('PATCH', objectPath(VIMANA_RESOURCES[kind], namespace, name, 'status'), {
            body,
            contentType: 'application/merge-patch+json',
            query: { fieldManager: STATUS_FIELD_MANAGER },
          });
        } catch (error) {
          // 404: deleted since the pass read it. 409: changed since; the change's own event queues the
          // namespace again, and that pass computes from the newer version.
          if (!(error instanceof KubeApiError && (error.code === 404 || error.code === 409))) throw error;
        }
      },
    });
    view.onChange((namespace) => reconciler.enqueue(namespace));
    // A new leader brings every namespace up to date: the previous leader may have left work undone.
    leadership.onChange((leading) => {
      if (!leading) return;
      const namespaces = VIMANA_KINDS.flatMap((kind) => caches.get(VIMANA_RESOURCES[kind]).list()).map(
        (o) => o.metadata?.namespace,
      );
      for (const namespace of new Set(namespaces)) if (namespace) reconciler.enqueue(namespace);
    });
    void view.whenSynced().then(() => reconciler.start());
    this.view = view;
    this.reconciler = reconciler;
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

  async stop(): Promise<void> {
    clearInterval(this.crdPoll);
    await this.reconciler?.stop();
  }
}
