/**
 * The prismgate process: shared services, the features, the webhook listener and the prism API listener,
 * certificates that rotate, and the registration that makes the cluster call them.
 *
 *   start: services → leader election → certificates → features.start → listen (webhook, api)
 *          → register (leader: Service in local mode, webhook configurations, APIService, CA bundle)
 *   certificate change: every replica reloads its TLS context; the leader re-injects the CA bundle
 *   stop:  not ready → grace period → deregister and features.uninstall (local mode only) → close
 *          listeners (idle keep-alive connections closed, in-flight requests finished) → features.stop
 *          → caches.stop → release lease
 */
import { randomBytes } from 'node:crypto';
import type { Server as HttpsServer } from 'node:https';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeConfig } from '@kubernetes/client-node';
import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import type { Registry } from 'prom-client';
import {
  ManagedCertificates,
  type CertificateSource,
  type ServingMaterial,
} from '../certs/certificate-manager.ts';
import { FileCertificates, tlsSecretFiles } from '../certs/file-certificates.ts';
import { trackConnections, type ConnectionDrain } from '../server/connection-drain.ts';
import { ApiDiscovery } from '../pkg/kube/api-discovery.ts';
import { CacheSet, type CacheTuning } from '../pkg/kube/cache-set.ts';
import { KubeClient } from '../pkg/kube/kube-client.ts';
import { LeaderElector } from '../pkg/kube/leader-election.ts';
import type { KubeObject } from '../pkg/kube/types.ts';
import { createRegistry } from '../pkg/metrics/registry.ts';
import { ScriptSandbox } from '../pkg/sandbox/script-sandbox.ts';
import { AdmissionMetrics } from '../webhook/admission-metrics.ts';
import { secureContextOptions, type TlsMaterial } from '../server/tls.ts';
import { createWebhookServer, type WebhookServer } from '../webhook/webhook-server.ts';
import type { WebhookClients } from '../webhook/webhook-clients.ts';
import { AccessReviewer } from '../server/delegated-auth/access-review.ts';
import { TokenAuthenticator } from '../server/delegated-auth/token-authenticator.ts';
import type { Feature, SharedServices } from '../features/feature.ts';
import {
  apiService,
  apply,
  ensureNamespace,
  localService,
  remove,
  webhookConfiguration,
  type RegistrationTarget,
} from './registration.ts';

/** Builds the prism API listener; provided by aggregated-api/. */
export type ApiServerFactory = (services: SharedServices, tls: TlsMaterial) => Promise<FastifyInstance>;

export interface PrismgateOptions {
  kubeConfig: KubeConfig;
  features: Feature[];
  apiServer?: ApiServerFactory;
  log?: Logger;
  /** prismgate's namespace (its Service, Secrets and Lease). */
  namespace?: string;
  serviceName?: string;
  kappnavNamespace?: string;
  /** Address to listen on; loopback for the local setup, all interfaces in a pod. */
  host?: string;
  /** 0 picks a free port (the local registration uses whatever was picked). */
  webhookPort?: number;
  apiPort?: number;
  /**
   * Ports of the Service in front of the listeners, when they differ from the listening ports
   * (in-cluster: webhook 8443, api 443). Local mode uses the listening ports.
   */
  servicePorts?: { webhook: number; api: number };
  /**
   * local: create an ExternalName Service → localhost, the webhook configurations and the APIService
   * (the local control plane). in-cluster: the manifests created the Service; register the rest.
   * none: register nothing.
   */
  registration?: 'local' | 'in-cluster' | 'none';
  /** Remove the webhook configurations and APIService on stop (local runs, so a stopped prismgate blocks nothing). */
  deregisterOnStop?: boolean;
  /**
   * A mounted `kubernetes.io/tls` Secret (tls.crt, tls.key, ca.crt; cert-manager's layout) to serve, followed
   * when it changes, instead of the certificates prismgate issues and rotates itself.
   */
  tlsDirectory?: string;
  /** Where serving certificates come from, overriding the two above (tests tune rotation with it). */
  certificates?: (services: SharedServices, isLeader: () => boolean) => CertificateSource;
  /**
   * kube-apiserver's webhook client certificate: its CA and the accepted names. When set, only it may
   * send AdmissionReviews (docs/security.md, the webhook listener).
   */
  webhookClients?: WebhookClients;
  /** Identity in the leader election (pod name in-cluster). */
  identity?: string;
  /** Lease timing (tests shorten it). */
  leaseDurationSeconds?: number;
  /** Time between readiness turning false and the listeners closing, for endpoints to drop the pod. */
  shutdownDelayMs?: number;
  cacheTuning?: CacheTuning;
}

export class Prismgate {
  private registered: KubeObject[] = [];
  private stopping = false;
  private registering: Promise<void> = Promise.resolve();
  private readonly drains: ConnectionDrain[];

  private constructor(
    readonly services: SharedServices,
    private readonly options: PrismgateOptions,
    private readonly features: Feature[],
    readonly webhookServer: WebhookServer,
    readonly apiServer: FastifyInstance | undefined,
    readonly certificates: CertificateSource,
    readonly leader: LeaderElector,
    readonly target: RegistrationTarget,
  ) {
    this.drains = [webhookServer, apiServer].flatMap((app) =>
      app ? [trackConnections(app.server as HttpsServer)] : [],
    );
  }

  get webhookPort(): number {
    return portOf(this.webhookServer);
  }

  get apiPort(): number {
    return this.apiServer ? portOf(this.apiServer) : 0;
  }

  /** The CA bundle the cluster is told to trust. */
  get caBundle(): string {
    return this.target.caBundlePem;
  }

  get registry(): Registry {
    return this.services.registry;
  }

  /** True once every cache has synced and every feature is ready; false from the start of shutdown. */
  ready(): boolean {
    return !this.stopping && this.services.caches.synced && this.features.every((f) => f.ready?.() ?? true);
  }

  static async start(options: PrismgateOptions): Promise<Prismgate> {
    const log = options.log ?? pino({ name: 'prismgate' });
    const client = new KubeClient(options.kubeConfig);
    const namespace = options.namespace ?? 'prismgate-system';
    const serviceName = options.serviceName ?? 'prismgate';
    const mode = options.registration ?? 'none';
    const leader = new LeaderElector({
      client,
      namespace,
      name: `${serviceName}-leader`,
      // Unique per instance, even for several in one process (tests, local experiments).
      identity: options.identity ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
      log,
      leaseDurationSeconds: options.leaseDurationSeconds,
      renewIntervalMs: options.leaseDurationSeconds ? (options.leaseDurationSeconds * 1000) / 3 : undefined,
    });
    const services: SharedServices = {
      client,
      caches: new CacheSet(client, log, options.cacheTuning),
      discovery: new ApiDiscovery(client, log),
      sandbox: new ScriptSandbox(),
      log,
      registry: createRegistry(),
      namespace,
      kappnavNamespace: options.kappnavNamespace ?? 'kappnav',
      leadership: leader,
    };
    await services.discovery.refresh();
    // Locally nothing may have created prismgate's namespace; its Secrets and Lease live there. (Running
    // as its ServiceAccount, it exists, and prismgate may not write Namespaces.)
    if (mode === 'local') await ensureNamespace(client, namespace);

    await leader.start();
    const isLeader = () => leader.isLeader();
    const certificates =
      options.certificates?.(services, isLeader) ??
      (options.tlsDirectory
        ? new FileCertificates(tlsSecretFiles(options.tlsDirectory), log.child({ certificates: 'files' }))
        : new ManagedCertificates({
            client,
            namespace,
            serviceName,
            log,
            extraHosts: ['localhost', '127.0.0.1', '::1'],
            isLeader,
          }));
    const material = await certificates.start();

    for (const feature of options.features) await feature.start(services);

    const host = options.host ?? '127.0.0.1';
    // The webhook server exists before the Prismgate object that decides readiness.
    const readiness = { check: () => false };
    const webhookServer = await createWebhookServer({
      endpoints: options.features.flatMap((f) => f.admissionEndpoints?.() ?? []),
      tls: material.serving,
      log,
      metrics: new AdmissionMetrics(services.registry),
      registry: services.registry,
      // /metrics as Kubernetes components serve it: TokenReview, then SubjectAccessReview for get /metrics.
      metricsAccess: { tokens: new TokenAuthenticator(client), reviewer: new AccessReviewer(client) },
      ...(options.webhookClients ? { clients: options.webhookClients } : {}),
      ready: () => readiness.check(),
    });
    await webhookServer.listen({ host, port: options.webhookPort ?? 8443 });
    const apiServer = options.apiServer ? await options.apiServer(services, material.serving) : undefined;
    await apiServer?.listen({ host, port: options.apiPort ?? 9443 });

    // Locally the ExternalName Service forwards to the listening ports themselves.
    const servicePorts = mode === 'in-cluster' ? options.servicePorts : undefined;
    const target: RegistrationTarget = {
      namespace,
      serviceName,
      webhookPort: servicePorts?.webhook ?? portOf(webhookServer),
      apiPort: apiServer ? (servicePorts?.api ?? portOf(apiServer)) : 0,
      caBundlePem: material.caBundle,
    };
    const prismgate = new Prismgate(
      services,
      options,
      options.features,
      webhookServer,
      apiServer,
      certificates,
      leader,
      target,
    );
    readiness.check = () => prismgate.ready();
    certificates.onChange((next) => prismgate.reloadCertificates(next));
    leader.onChange((leading) => {
      if (leading) void prismgate.register();
    });
    for (const feature of options.features) {
      for (const endpoint of feature.admissionEndpoints?.() ?? [])
        endpoint.onRulesChanged?.(() => void prismgate.register());
    }
    await prismgate.register();
    log.info(
      {
        webhookPort: prismgate.webhookPort,
        apiPort: prismgate.apiPort,
        registration: mode,
        leader: leader.isLeader(),
      },
      'prismgate started',
    );
    return prismgate;
  }

  /** Every replica swaps its TLS context (new connections get the new certificate); the leader re-injects the bundle. */
  private reloadCertificates(material: ServingMaterial): void {
    const context = secureContextOptions(material.serving);
    this.webhookServer.server.setSecureContext(context);
    (this.apiServer?.server as { setSecureContext?: (c: object) => void } | undefined)?.setSecureContext?.(
      context,
    );
    this.target.caBundlePem = material.caBundle;
    this.services.log.info('serving certificate reloaded');
    void this.register();
  }

  /** The objects that make the cluster call this process. */
  registrationObjects(): KubeObject[] {
    const mode = this.options.registration ?? 'none';
    if (mode === 'none') return [];
    const endpoints = this.features.flatMap((f) => f.admissionEndpoints?.() ?? []);
    return [
      ...(mode === 'local' ? [localService(this.target)] : []),
      webhookConfiguration('ValidatingWebhookConfiguration', endpoints, this.target),
      webhookConfiguration('MutatingWebhookConfiguration', endpoints, this.target),
      ...(this.apiServer ? [apiService(this.target)] : []),
    ];
  }

  /**
   * (Re-)applies the registration objects, on the leader only. Calls are serialised: a certificate
   * rotation and a rule change never interleave their writes.
   */
  register(): Promise<void> {
    this.registering = this.registering
      .catch(() => {})
      .then(async () => {
        if (this.stopping || !this.leader.isLeader()) return;
        const objects = this.registrationObjects();
        for (const object of objects) await apply(this.services.client, object);
        this.registered = objects;
      });
    this.registering.catch((err: unknown) => this.services.log.error({ err }, 'registration failed'));
    return this.registering;
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    const { log, client } = this.services;
    // Readiness is false from here on.
    this.stopping = true;
    await this.registering.catch(() => {});
    if (this.options.deregisterOnStop && this.leader.isLeader()) {
      // Webhook configurations first: once prismgate stops answering, Fail would block every matching request.
      for (const object of [...this.registered].reverse()) {
        await remove(client, object).catch((err: unknown) =>
          log.warn({ err, kind: object.kind }, 'could not deregister'),
        );
      }
      // With the webhooks gone, nothing new is admitted: what the features leave behind can be undone.
      for (const feature of this.features)
        await feature
          .uninstall?.()
          .catch((err: unknown) =>
            log.warn({ err, feature: feature.name }, 'could not undo what the feature leaves behind'),
          );
    }
    // Hand leadership over now, so another replica rotates and registers while this one drains.
    await this.leader.stop();
    // Time for endpoints (in-cluster) or the new leader's registration (locally) to route requests elsewhere.
    if (this.options.shutdownDelayMs) await sleep(this.options.shutdownDelayMs);
    // Connections without a request in flight close now, the others after their response.
    for (const drain of this.drains) drain.drain();
    await this.webhookServer.close();
    await this.apiServer?.close();
    this.certificates.stop();
    for (const feature of this.features) await feature.stop?.();
    await this.services.caches.stop();
    await this.services.sandbox.close();
    client.close();
    log.info('prismgate stopped');
  }
}

function portOf(server: { server: { address(): unknown } }): number {
  return (server.server.address() as { port: number }).port;
}

export function loadKubeConfig(file?: string): KubeConfig {
  const kc = new KubeConfig();
  if (file) kc.loadFromFile(file);
  else kc.loadFromDefault();
  return kc;
}
