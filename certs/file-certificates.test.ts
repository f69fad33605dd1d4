import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { FileCertificates, tlsSecretFiles, type ServingMaterial } from './certificate-manager.ts';
import { createCertificateAuthority, DAY_MS, issueServingCertificate } from './pki.ts';

const validity = { validForMs: DAY_MS };

describe('FileCertificates (PRISMGATE_TLS_DIR)', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  /** Writes a mounted tls Secret's three files, as kubelet projects them. */
  function mount(dir: string, serving: { certPem: string; keyPem: string }, caPem: string): void {
    writeFileSync(path.join(dir, 'tls.crt'), serving.certPem);
    writeFileSync(path.join(dir, 'tls.key'), serving.keyPem);
    writeFileSync(path.join(dir, 'ca.crt'), caPem);
  }

  it('serves the mounted Secret and reloads it when it changes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'prismgate-tls-'));
    dirs.push(dir);
    const ca = createCertificateAuthority('cert-manager CA', validity);
    const first = issueServingCertificate(ca, 'prismgate.prismgate-system.svc', ['localhost'], validity);
    mount(dir, first, ca.certPem);

    const source = new FileCertificates(tlsSecretFiles(dir), pino({ level: 'silent' }), 20);
    const started = await source.start();
    expect(started).toEqual({
      serving: { certPem: first.certPem, keyPem: first.keyPem },
      caBundle: ca.certPem,
    });

    const reloaded = new Promise<ServingMaterial>((resolve) => source.onChange(resolve));
    const second = issueServingCertificate(ca, 'prismgate.prismgate-system.svc', ['localhost'], validity);
    mount(dir, second, ca.certPem);
    expect((await reloaded).serving.certPem).toBe(second.certPem);
    expect(source.current().serving.keyPem).toBe(second.keyPem);
    source.stop();
  });
});
