/**
 * prismgate's certificate lifecycle: a self-managed CA and a serving certificate kept in Secrets, renewed
 * well before expiry by the leader, reloaded by every replica without a restart.
 *
 *   Secret <name>-ca   ca.crt, ca.key, bundle.crt (current CA first, then earlier CAs until they expire)
 *   Secret <name>-tls  tls.crt, tls.key, ca.crt    (kubernetes.io/tls)
 *
 * Renewal happens once a certificate has used `renewAt` of its lifetime (2/3 by default, as
 * cert-manager's dynamic authority does). A new CA first only joins the bundle, which is injected into
 * the webhook configurations and the APIService; the serving certificate is re-issued from it on a later
 * pass, so the API server already trusts the new CA when it first sees a certificate signed by it.
 *
 * Bring-your-own certificates (cert-manager, files mounted from a Secret) skip all of this: see
 * FileCertificateSource.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync, watchFile, unwatchFile } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { KubeApiError, type KubeClient } from '../pkg/kube/kube-client.ts';
import type { KubeObject } from '../pkg/kube/types.ts';
import { caBundle, coversHosts, isIssuedByOneOf, remainingValidityMs } from './ca-bundle.ts';
import {
  BACKDATE_MS,
  DAY_MS,
  createCertificateAuthority,
  issueServingCertificate,
  type CertificateAndKey,
} from './pki.ts';

/** What the servers present and what the cluster must trust. */
export interface ServingMaterial {
  serving: CertificateAndKey;
  /** PEM bundle for caBundle fields. */
  caBundle: string;
}

export interface CertificateSource {
  start(): Promise<ServingMaterial>;
  current(): ServingMaterial;
  onChange(listener: (material: ServingMaterial) => void): void;
  stop(): void;
}

export interface ManagedCertificateOptions {
  client: KubeClient;
  namespace: string;
  serviceName: string;
  log: Logger;
  /** Names the serving certificate must carry beyond the Service's DNS names (e.g. localhost). */
  extraHosts?: string[];
  caValidityMs?: number;
  servingValidityMs?: number;
  /** Fraction of a certificate's lifetime after which it is renewed. */
  renewAt?: number;
  /**
   * How long a new CA stays in the bundle before serving certificates are issued from it, so that every
   * client (the API server's webhook and aggregator clients) trusts it first.
   */
  caPropagationMs?: number;
  /** How often the Secrets are checked (and the leader renews). */
  checkIntervalMs?: number;
  /** Only the leader writes Secrets; the others follow. Always-leader when omitted. */
  isLeader?: () => boolean;
}

interface SecretObject extends KubeObject {
  type?: string;
  data?: Record<string, string>;
}

const decode = (value: string | undefined) =>
  value ? Buffer.from(value, 'base64').toString('utf8') : undefined;
const encode = (value: string) => Buffer.from(value).toString('base64');
const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256;

export function serviceHosts(serviceName: string, namespace: string): string[] {
  const svc = `${serviceName}.${namespace}.svc`;
  return [svc, `${svc}.cluster.local`, `${serviceName}.${namespace}`, serviceName];
}

export class ManagedCertificates implements CertificateSource {
  private material: ServingMaterial | undefined;
  private readonly listeners = new Set<(material: ServingMaterial) => void>();
  private timer: NodeJS.Timeout | undefined;
  private readonly hosts: string[];
  private readonly caSecret: string;
  private readonly tlsSecret: string;

  constructor(private readonly options: ManagedCertificateOptions) {
    this.hosts = [...serviceHosts(options.serviceName, options.namespace), ...(options.extraHosts ?? [])];
    this.caSecret = `${options.serviceName}-ca`;
    this.tlsSecret = `${options.serviceName}-tls`;
  }

  private get renewAt(): number {
    return this.options.renewAt ?? 2 / 3;
  }

  private get leader(): boolean {
    return this.options.isLeader?.() ?? true;
  }

  current(): ServingMaterial {
    if (!this.material) throw new Error('certificates not loaded yet');
    return this.material;
  }

  onChange(listener: (material: ServingMaterial) => void): void {
    this.listeners.add(listener);
  }

  async start(): Promise<ServingMaterial> {
    const deadline = Date.now() + 60_000;
    // A follower may start before the leader has written the Secrets: wait for them.
    while (!(await this.reconcile())) {
      if (Date.now() > deadline)
        throw new Error(`Secrets ${this.caSecret}/${this.tlsSecret} did not appear within 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    this.timer = setInterval(() => {
      this.reconcile().catch((err: unknown) => this.options.log.error({ err }, 'certificate check failed'));
    }, this.options.checkIntervalMs ?? 60_000);
    this.timer.unref();
    return this.current();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private secretPath(name?: string): string {
    const base = `/api/v1/namespaces/${this.options.namespace}/secrets`;
    return name ? `${base}/${name}` : base;
  }

  private async read(name: string): Promise<SecretObject | undefined> {
    try {
      return await this.options.client.request<SecretObject>('GET', this.secretPath(name));
    } catch (error) {
      if (error instanceof KubeApiError && error.code === 404) return undefined;
      throw error;
    }
  }

  /** Creates or replaces a Secret; false when another writer changed it first (we re-read next pass). */
  private async write(
    existing: SecretObject | undefined,
    name: string,
    type: string,
    data: Record<string, string>,
  ): Promise<boolean> {
    const body: SecretObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name,
        namespace: this.options.namespace,
        labels: { 'app.kubernetes.io/name': 'prismgate' },
        resourceVersion: existing?.metadata?.resourceVersion,
      },
      type,
      data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, encode(v)])),
    };
    try {
      await this.options.client.request(
        existing ? 'PUT' : 'POST',
        existing ? this.secretPath(name) : this.secretPath(),
        { body },
      );
      return true;
    } catch (error) {
      if (error instanceof KubeApiError && (error.code === 409 || error.code === 404)) return false;
      throw error;
    }
  }

  /**
   * Renewal is judged on the remaining validity against the configured lifetime, not the certificate's
   * own notBefore, which is back-dated a minute for clock skew (that would dominate a short test lifetime).
   */
  private needsRenewal(pem: string, validityMs: number): boolean {
    return remainingValidityMs(pem) < (1 - this.renewAt) * validityMs;
  }

  private get caValidityMs(): number {
    return this.options.caValidityMs ?? 365 * DAY_MS;
  }

  private get servingValidityMs(): number {
    return this.options.servingValidityMs ?? 90 * DAY_MS;
  }

  /** One pass: adopt, create or renew as needed; true once usable material is loaded. */
  async reconcile(): Promise<boolean> {
    const { log } = this.options;
    const caSecret = await this.read(this.caSecret);
    let ca: CertificateAndKey | undefined;
    let bundle = '';
    const caPem = decode(caSecret?.data?.['ca.crt']);
    const caKey = decode(caSecret?.data?.['ca.key']);
    if (caPem && caKey) {
      ca = { certPem: caPem, keyPem: caKey };
      bundle = caBundle([caPem, decode(caSecret?.data?.['bundle.crt']) ?? '']);
    }
    if (this.leader && (!ca || this.needsRenewal(ca.certPem, this.caValidityMs))) {
      const next = createCertificateAuthority(`${this.options.serviceName}-ca`, {
        validForMs: this.caValidityMs,
      });
      const nextBundle = caBundle([next.certPem, bundle]);
      if (
        !(await this.write(caSecret, this.caSecret, 'Opaque', {
          'ca.crt': next.certPem,
          'ca.key': next.keyPem,
          'bundle.crt': nextBundle,
        }))
      ) {
        return this.material !== undefined;
      }
      log.info(
        { secret: this.caSecret, rollover: Boolean(ca) },
        ca ? 'CA renewed; both CAs trusted during rollover' : 'CA created',
      );
      ca = next;
      bundle = nextBundle;
    }
    if (!ca) return false;

    const tlsSecret = await this.read(this.tlsSecret);
    let serving: CertificateAndKey | undefined;
    const certPem = decode(tlsSecret?.data?.['tls.crt']);
    const keyPem = decode(tlsSecret?.data?.['tls.key']);
    if (certPem && keyPem) serving = { certPem, keyPem };
    const stale =
      !serving ||
      !isIssuedByOneOf(serving.certPem, ca.certPem) ||
      this.needsRenewal(serving.certPem, this.servingValidityMs) ||
      !coversHosts(serving.certPem, this.hosts);
    // After a CA rollover, a certificate of the previous CA serves on until the new CA has propagated.
    const usable =
      serving && isIssuedByOneOf(serving.certPem, bundle) && remainingValidityMs(serving.certPem) > 0;
    const caAgeMs = Date.now() - (Date.parse(new X509Certificate(ca.certPem).validFrom) + BACKDATE_MS);
    const waitForCa =
      usable &&
      !isIssuedByOneOf(serving!.certPem, ca.certPem) &&
      caAgeMs < (this.options.caPropagationMs ?? 30_000);
    if (this.leader && stale && !waitForCa) {
      const issued = issueServingCertificate(ca, this.hosts[0]!, this.hosts, {
        validForMs: this.servingValidityMs,
      });
      if (
        await this.write(tlsSecret, this.tlsSecret, 'kubernetes.io/tls', {
          'tls.crt': issued.certPem,
          'tls.key': issued.keyPem,
          'ca.crt': bundle,
        })
      ) {
        log.info(
          { secret: this.tlsSecret, notAfter: new X509Certificate(issued.certPem).validTo },
          'serving certificate issued',
        );
        serving = issued;
      }
    }
    if (!serving || !isIssuedByOneOf(serving.certPem, bundle)) return this.material !== undefined;
    this.publish({ serving, caBundle: bundle });
    return true;
  }

  private publish(material: ServingMaterial): void {
    const previous = this.material;
    this.material = material;
    if (
      previous &&
      fingerprint(previous.serving.certPem) === fingerprint(material.serving.certPem) &&
      previous.caBundle === material.caBundle
    ) {
      return;
    }
    if (!previous) return;
    for (const listener of this.listeners) listener(material);
  }
}

/** The files of a mounted `kubernetes.io/tls` Secret as cert-manager writes it. */
export function tlsSecretFiles(directory: string): CertificateFiles {
  return {
    cert: path.join(directory, 'tls.crt'),
    key: path.join(directory, 'tls.key'),
    ca: path.join(directory, 'ca.crt'),
  };
}

export interface CertificateFiles {
  cert: string;
  key: string;
  /** The CA bundle the cluster is told to trust (webhook configurations, APIService). */
  ca: string;
}

/**
 * Certificates provided from outside (cert-manager writes a Secret, the Deployment mounts it;
 * `PRISMGATE_TLS_DIR`): files are re-read when they change, and the CA bundle comes from `ca.crt`.
 */
export class FileCertificates implements CertificateSource {
  private material: ServingMaterial | undefined;
  private readonly listeners = new Set<(material: ServingMaterial) => void>();

  constructor(
    private readonly files: CertificateFiles,
    private readonly log: Logger,
    /** How often the files are checked (a mounted Secret changes through a symlink swap, seen by polling). */
    private readonly pollIntervalMs = 5_000,
  ) {}

  private load(): ServingMaterial {
    return {
      serving: {
        certPem: readFileSync(this.files.cert, 'utf8'),
        keyPem: readFileSync(this.files.key, 'utf8'),
      },
      caBundle: readFileSync(this.files.ca, 'utf8'),
    };
  }

  async start(): Promise<ServingMaterial> {
    this.material = this.load();
    for (const file of Object.values(this.files)) {
      watchFile(file, { interval: this.pollIntervalMs }, () => {
        try {
          this.material = this.load();
          for (const listener of this.listeners) listener(this.material);
          this.log.info({ file }, 'certificate files changed; reloaded');
        } catch (err) {
          this.log.error({ err, file }, 'could not reload certificate files; keeping the previous ones');
        }
      });
    }
    return this.material;
  }

  current(): ServingMaterial {
    if (!this.material) throw new Error('certificates not loaded yet');
    return this.material;
  }

  onChange(listener: (material: ServingMaterial) => void): void {
    this.listeners.add(listener);
  }

  stop(): void {
    for (const file of Object.values(this.files)) unwatchFile(file);
  }
}
