import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServingMaterial } from './certificate-manager.ts';
import { FileCertificates, tlsSecretFiles } from './file-certificates.ts';
import { ProjectedSecret } from '../test/support/certs/projected-secret.ts';
import { createCertificateAuthority, DAY_MS, issueServingCertificate } from './pki.ts';

const validity = { validForMs: DAY_MS };
const HOST = 'prismgate.prismgate-system.svc';
const POLL_MS = 20;

/** A logger whose messages a test can wait for. */
function capturingLog() {
  const waiters: { text: string; resolve: () => void }[] = [];
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const { msg } = JSON.parse(chunk.toString()) as { msg: string };
      lines.push(msg);
      for (const waiter of waiters.filter((w) => msg.includes(w.text))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      done();
    },
  });
  return {
    log: pino({ level: 'info' }, stream),
    lines,
    next: (text: string) => new Promise<void>((resolve) => waiters.push({ text, resolve })),
  };
}

describe('FileCertificates (PRISMGATE_TLS_DIR)', () => {
  const dirs: string[] = [];
  const sources: FileCertificates[] = [];
  afterEach(() => {
    sources.splice(0).forEach((source) => source.stop());
    dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
  });
  function folder(): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'prismgate-tls-'));
    dirs.push(dir);
    return dir;
  }
  function source(dir: string, log = pino({ level: 'silent' })): FileCertificates {
    const files = new FileCertificates(tlsSecretFiles(dir), log, POLL_MS);
    sources.push(files);
    return files;
  }

  it('serves the mounted Secret and reloads it once when kubelet swaps it', async () => {
    const dir = folder();
    const ca = createCertificateAuthority('cert-manager CA', validity);
    const first = issueServingCertificate(ca, HOST, ['localhost'], validity);
    const secret = new ProjectedSecret(dir);
    secret.write(first, ca.certPem);

    const files = source(dir);
    expect(await files.start()).toEqual({
      serving: { certPem: first.certPem, keyPem: first.keyPem },
      caBundle: ca.certPem,
    });

    const seen: ServingMaterial[] = [];
    const reloaded = new Promise<void>((resolve) =>
      files.onChange((material) => {
        seen.push(material);
        resolve();
      }),
    );
    // A new CA too: the bundle the cluster trusts follows the files.
    const nextCa = createCertificateAuthority('cert-manager CA 2', validity);
    const second = issueServingCertificate(nextCa, HOST, ['localhost'], validity);
    const bundle = nextCa.certPem + ca.certPem;
    secret.write(second, bundle);
    await reloaded;
    // Three files changed, each watched; listeners (a reload re-registers the CA bundle) hear of it once.
    await new Promise((resolve) => setTimeout(resolve, POLL_MS * 25));
    expect(seen).toEqual([{ serving: { certPem: second.certPem, keyPem: second.keyPem }, caBundle: bundle }]);
    expect(files.current()).toEqual(seen[0]);
  });

  it('never serves a certificate with a key that is not its own, while files are replaced one by one', async () => {
    const dir = folder();
    const ca = createCertificateAuthority('CA', validity);
    const first = issueServingCertificate(ca, HOST, [], validity);
    writeFileSync(path.join(dir, 'tls.crt'), first.certPem);
    writeFileSync(path.join(dir, 'tls.key'), first.keyPem);
    writeFileSync(path.join(dir, 'ca.crt'), ca.certPem);
    const { log, next } = capturingLog();
    const files = source(dir, log);
    await files.start();
    const seen: ServingMaterial[] = [];
    files.onChange((material) => seen.push(material));

    const second = issueServingCertificate(ca, HOST, [], validity);
    const unusable = next('certificate files unusable');
    writeFileSync(path.join(dir, 'tls.crt'), second.certPem);
    await unusable;
    expect(files.current().serving.certPem).toBe(first.certPem);

    const reloaded = next('certificate files changed; reloaded');
    writeFileSync(path.join(dir, 'tls.key'), second.keyPem);
    await reloaded;
    expect(seen.map((m) => m.serving)).toEqual([{ certPem: second.certPem, keyPem: second.keyPem }]);
  });

  it('refuses to start on a key that is not the certificate’s, naming the files', async () => {
    const dir = folder();
    const ca = createCertificateAuthority('CA', validity);
    const cert = issueServingCertificate(ca, HOST, [], validity);
    const other = issueServingCertificate(ca, HOST, [], validity);
    writeFileSync(path.join(dir, 'tls.crt'), cert.certPem);
    writeFileSync(path.join(dir, 'tls.key'), other.keyPem);
    writeFileSync(path.join(dir, 'ca.crt'), ca.certPem);
    await expect(source(dir).start()).rejects.toThrow(
      `${path.join(dir, 'tls.key')} is not the private key of the certificate in ${path.join(dir, 'tls.crt')}`,
    );
  });
});
