/**
 * Certificates provided from outside (`PRISMGATE_TLS_DIR`): cert-manager, or an operator, writes a
 * `kubernetes.io/tls` Secret and the Deployment mounts it. prismgate serves `tls.crt`/`tls.key`, registers
 * `ca.crt` as the CA bundle, and follows the files when they change; issuing and rotating them is the
 * writer's job.
 *
 * kubelet updates a mounted Secret by swapping a symlink, so all three files change at once; a writer that
 * replaces them one by one passes through states where the certificate and the key do not match. Such a
 * state is never served: the previous material stays until the files agree again.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { sameMaterial, type CertificateSource, type ServingMaterial } from './certificate-manager.ts';

export interface CertificateFiles {
  cert: string;
  key: string;
  /** The CA bundle the cluster is told to trust (webhook configurations, APIService). */
  ca: string;
}

/** The files of a mounted `kubernetes.io/tls` Secret as cert-manager writes it. */
export function tlsSecretFiles(directory: string): CertificateFiles {
  return {
    cert: path.join(directory, 'tls.crt'),
    key: path.join(directory, 'tls.key'),
    ca: path.join(directory, 'ca.crt'),
  };
}

/** The files' material; throws, naming the files, when they are unreadable or the key is not the certificate's. */
export function readCertificateFiles(files: CertificateFiles): ServingMaterial {
  const certPem = readFileSync(files.cert, 'utf8');
  const keyPem = readFileSync(files.key, 'utf8');
  const caBundle = readFileSync(files.ca, 'utf8');
  // tls.crt may carry the chain after the serving certificate; the key belongs to the first one.
  if (!new X509Certificate(certPem).checkPrivateKey(createPrivateKey(keyPem)))
    throw new Error(`${files.key} is not the private key of the certificate in ${files.cert}`);
  return { serving: { certPem, keyPem }, caBundle };
}

export class FileCertificates implements CertificateSource {
  private material: ServingMaterial | undefined;
  private readonly listeners = new Set<(material: ServingMaterial) => void>();

  constructor(
    private readonly files: CertificateFiles,
    private readonly log: Logger,
    /** How often the files are checked (a mounted Secret changes through a symlink swap, seen by polling). */
    private readonly pollIntervalMs = 5_000,
  ) {}

  async start(): Promise<ServingMaterial> {
    const material = readCertificateFiles(this.files);
    this.material = material;
    for (const file of Object.values(this.files))
      watchFile(file, { interval: this.pollIntervalMs }, () => this.reload(file));
    return material;
  }

  /** One file changed: the three are read again, and listeners hear of it once per new material. */
  private reload(file: string): void {
    let next: ServingMaterial;
    try {
      next = readCertificateFiles(this.files);
    } catch (err) {
      this.log.warn({ err, file }, 'certificate files unusable (changing?); serving the previous ones');
      return;
    }
    if (this.material && sameMaterial(this.material, next)) return;
    this.material = next;
    this.log.info({ file }, 'certificate files changed; reloaded');
    for (const listener of this.listeners) {
      // This runs in a file watcher's callback: a listener's error must not end the process.
      try {
        listener(next);
      } catch (err) {
        this.log.error({ err }, 'reloading the certificate files failed');
      }
    }
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
