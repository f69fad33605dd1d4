/**
 * A `kubernetes.io/tls` Secret as kubelet mounts it in a pod: the files live in a timestamped folder, and
 * `tls.crt`, `tls.key`, `ca.crt` are links through `..data`, which an update swaps to a new folder in one
 * rename, so a reader sees the old three files or the new three, never a mix (kubelet's AtomicWriter).
 */
import { mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CertificateAndKey } from '../../../certs/pki.ts';

const FILES = ['tls.crt', 'tls.key', 'ca.crt'] as const;

export class ProjectedSecret {
  private version = 0;

  constructor(readonly directory: string) {}

  /** Projects (again) the Secret's data: the serving certificate and key, and the CA bundle as `ca.crt`. */
  write(serving: CertificateAndKey, caPem: string): void {
    const folder = `..${new Date().toISOString().replaceAll(':', '_')}.${++this.version}`;
    mkdirSync(path.join(this.directory, folder));
    const data = { 'tls.crt': serving.certPem, 'tls.key': serving.keyPem, 'ca.crt': caPem };
    for (const file of FILES) writeFileSync(path.join(this.directory, folder, file), data[file]);
    symlinkSync(folder, path.join(this.directory, '..data_tmp'));
    renameSync(path.join(this.directory, '..data_tmp'), path.join(this.directory, '..data'));
    if (this.version === 1)
      for (const file of FILES) symlinkSync(path.join('..data', file), path.join(this.directory, file));
  }
}
