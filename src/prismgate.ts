/**
 * The prismgate process: shared services, the features, the webhook listener (and the prism API
 * listener), and the registration that makes the cluster call them.
 *
 *   start: services → features.start → listen (webhook, api) → register (Service, webhook configs, APIService)
 *   stop:  deregister (local mode only) → close listeners → features.stop → caches.stop
 */
import { KubeConfig } from '@kubernetes/client-node';
import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import type { Registry } from 'prom-client';
import {
  DAY_MS,
  createCertificateAuthority,
  issueServingCertificate,
  type CertificateAndKey,
} from '../certs/pki.ts';
import { ApiDiscovery } from '../pkg/kube/api-discovery.ts';
import { CacheSet, type CacheTuning } from '../pkg/kube/cache-set.ts';
import { KubeClient } from '../pkg/kube/kube-client.ts';
import type { KubeObject } from '../pkg/kube/types.ts';
import { createRegistry } from '../pkg/metrics/registry.ts';
import { ScriptSandbox } from '../pkg/sandbox/script-sandbox.ts';
import { AdmissionMetrics } from '../webhook/admission-metrics.ts';
import { createWebhookServer, type TlsMaterial, type WebhookServer } from '../webhook/webhook-server.ts';
import type { Feature, SharedServices } from './feature.ts';
import {
  apiService,
  apply,
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
  /** prismgate's namespace (its Service). */
  namespace?: string;
  serviceName?: string;
  kappnavNamespace?: string;
  /** Address to listen on; loopback for the local setup, all interfaces in a pod. */
  host?: string;
  /** 0 picks a free port (the registration uses whatever was picked). */
  webhookPort?: number;
  apiPort?: number;
  /**
   * local: create an ExternalName Service → localhost, the webhook configurations and the APIService
   * (the local control plane). in-cluster: the manifests created the Service; register the rest.
   * none: register nothing.
   */
  registration?: 'local' | 'in-cluster' | 'none';
  /** Remove the webhook configurations and APIService on stop (local runs, so a stopped prismgate blocks nothing). */
  deregisterOnStop?: boolean;
  cacheTuning?: CacheTuning;
}

export class Prismgate {
  private registered: KubeObject[] = [];

  private constructor(
    readonly services: SharedServices,
    private readonly options: PrismgateOptions,
    private readonly features: Feature[],
    readonly webhookServer: WebhookServer,
    readonly apiServer: FastifyInstance | undefined,
    readonly ca: CertificateAndKey,
    readonly target: RegistrationTarget,
  ) {}

  get webhookPort(): number {
    return this.target.webhookPort;
  }

  get apiPort(): number {
    return this.target.apiPort;
  }

  get registry(): Registry {
    return this.services.registry;
  }

  /** True once every cache has synced and every feature is ready. */
  ready(): boolean {
    return this.services.caches.synced && this.features.every((f) => f.ready?.() ?? true);
  }

  static async start(options: PrismgateOptions): Promise<Prismgate> {
    const log = options.log ?? pino({ name: 'prismgate' });
    const client = new KubeClient(options.kubeConfig);
    const namespace = options.namespace ?? 'prismgate-system';
    const serviceName = options.serviceName ?? 'prismgate';
    const services: SharedServices = {
      client,
      caches: new CacheSet(client, log, options.cacheTuning),
      discovery: new ApiDiscovery(client, log),
      sandbox: new ScriptSandbox(),
      log,
      registry: createRegistry(),
      namespace,
      kappnavNamespace: options.kappnavNamespace ?? 'kappnav',
    };
    await services.discovery.refresh();
    for (const feature of options.features) await feature.start(services);

    const { ca, serving } = issueServingMaterial(serviceName, namespace);
    const host = options.host ?? '127.0.0.1';
    // The webhook server exists before the Prismgate object that decides readiness.
    const readiness = { check: () => false };
    const webhookServer = await createWebhookServer({
      endpoints: options.features.flatMap((f) => f.admissionEndpoints?.() ?? []),
      tls: serving,
      log,
      metrics: new AdmissionMetrics(services.registry),
      ready: () => readiness.check(),
    });
    await webhookServer.listen({ host, port: options.webhookPort ?? 8443 });
    const apiServer = options.apiServer ? await options.apiServer(services, serving) : undefined;
    await apiServer?.listen({ host, port: options.apiPort ?? 9443 });

    const target: RegistrationTarget = {
      namespace,
      serviceName,
      webhookPort: portOf(webhookServer),
      apiPort: apiServer ? portOf(apiServer) : 0,
      caBundlePem: ca.certPem,
    };
    const prismgate = new Prismgate(
      services,
      options,
      options.features,
      webhookServer,
      apiServer,
      ca,
      target,
    );
    readiness.check = () => prismgate.ready();
    await prismgate.register();
    log.info(
      {
        webhookPort: target.webhookPort,
        apiPort: target.apiPort,
        registration: options.registration ?? 'none',
      },
      'prismgate started',
    );
    return prismgate;
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

  /** (Re-)applies the registration objects; features call this when their rules change. */
  async register(): Promise<void> {
    const objects = this.registrationObjects();
    if (objects.length === 0) return;
    if (this.options.registration === 'local') {
      await apply(this.services.client, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: this.target.namespace },
      });
    }
    for (const object of objects) await apply(this.services.client, object);
    this.registered = objects;
  }

  async stop(): Promise<void> {
    const { log, client, caches, sandbox } = this.services;
    if (this.options.deregisterOnStop) {
      // Webhook configurations first: once prismgate stops answering, Fail would block every matching request.
      for (const object of [...this.registered].reverse()) {
        await remove(client, object).catch((err: unknown) =>
          log.warn({ err, kind: object.kind }, 'could not deregister'),
        );
      }
    }
    await this.webhookServer.close();
    await this.apiServer?.close();
    for (const feature of this.features) await feature.stop?.();
    await caches.stop();
    await sandbox.close();
    client.close();
    log.info('prismgate stopped');
  }
}

function portOf(server: { server: { address(): unknown } }): number {
  return (server.server.address() as { port: number }).port;
}

/** A self-managed CA and a serving certificate for every name the API server may use for the Service. */
function issueServingMaterial(
  serviceName: string,
  namespace: string,
): { ca: CertificateAndKey; serving: CertificateAndKey } {
  const ca = createCertificateAuthority('prismgate-ca', { validForMs: 365 * DAY_MS });
  const dns = `${serviceName}.${namespace}.svc`;
  const serving = issueServingCertificate(
    ca,
    dns,
    [
      dns,
      `${dns}.cluster.local`,
      `${serviceName}.${namespace}`,
      serviceName,
      'localhost',
      '127.0.0.1',
      '::1',
    ],
    { validForMs: 90 * DAY_MS },
  );
  return { ca, serving };
}

export function loadKubeConfig(file?: string): KubeConfig {
  const kc = new KubeConfig();
  if (file) kc.loadFromFile(file);
  else kc.loadFromDefault();
  return kc;
}
