/**
 * Finding 4 of issue 15: the webhook port asked for no client certificate, so anyone who reached it could
 * POST AdmissionReviews and learn from the answers whether objects exist; /metrics was open too. Now the
 * local control plane's kube-apiserver presents the webhook client certificate its admission configuration
 * names (test/control-plane/cluster-pki.ts), prismgate answers reviews only to that certificate, and
 * /metrics only to a token whose user may get it.
 */
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, issueClientCertificate } from '../../certs/pki.ts';
import type { Prismgate } from '../../src/prismgate.ts';
import { WEBHOOK_CLIENT_NAME } from '../control-plane/cluster-pki.ts';
import { kubectlOk, pkiFile } from './support/cluster.ts';
import { apply, startVimanaGate, TestNamespaces } from './vimana-gate.ts';

const DOMAIN = '00000000000000000000000000000001';
const review = JSON.stringify({
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  request: {
    uid: 'probe',
    kind: { group: 'api.vimana.host', version: 'v1alpha1', kind: 'Domain' },
    resource: { group: 'api.vimana.host', version: 'v1alpha1', resource: 'domains' },
    namespace: 'prod',
    name: 'anything',
    operation: 'CREATE',
    userInfo: { username: 'mallory' },
    object: { apiVersion: 'api.vimana.host/v1alpha1', kind: 'Domain', metadata: { name: 'anything' } },
  },
});

interface Pem {
  certPem: string;
  keyPem: string;
}

function call(port: number, path: string, options: { certificate?: Pem; token?: string } = {}) {
  return new Promise<number>((resolve, reject) => {
    const request = https.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: path === '/metrics' ? 'GET' : 'POST',
        rejectUnauthorized: false,
        agent: false,
        ...(options.certificate
          ? { cert: options.certificate.certPem, key: options.certificate.keyPem }
          : {}),
        headers: {
          'content-type': 'application/json',
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
      },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('error', reject);
    request.end(path === '/metrics' ? undefined : review);
  });
}

describe('the webhook listener answers kube-apiserver only', () => {
  const namespaces = new TestNamespaces();
  let prismgate: Prismgate;
  let ns: string;

  beforeAll(async () => {
    prismgate = await startVimanaGate();
    ns = await namespaces.create('webhook-clients');
  });
  afterAll(async () => {
    await prismgate?.stop();
    await namespaces.deleteAll();
  });

  it('still judges what kube-apiserver sends it, with its client certificate', async () => {
    const verdict = await apply(ns, {
      apiVersion: 'api.vimana.host/v1alpha1',
      kind: 'Component',
      metadata: { name: 'bad-component' },
      spec: {
        version: '1.2.3-alpha.1',
        server: 'the-adder-server',
        domain: DOMAIN,
        image: `r.example.com/${DOMAIN}/the-adder-server:1.2.3-alpha.1`,
      },
    });
    expect(verdict.code).not.toBe(0);
    expect(verdict.denials.join('\n')).toContain('(rule F3)');
  });

  it('refuses reviews without the certificate (401), of another CA (401) or another name (403)', async () => {
    const port = prismgate.webhookPort;
    const apiserver = { certPem: pkiFile('webhook-client.crt'), keyPem: pkiFile('webhook-client.key') };
    const webhookCa = { certPem: pkiFile('webhook-client-ca.crt'), keyPem: pkiFile('webhook-client-ca.key') };
    const admin = { certPem: pkiFile('ca.crt'), keyPem: pkiFile('ca.key') };
    const day = { validForMs: DAY_MS };
    const clusterUser = issueClientCertificate(admin, { name: WEBHOOK_CLIENT_NAME }, day);
    const someone = issueClientCertificate(webhookCa, { name: 'someone' }, day);

    expect(await call(port, '/validate/vimana')).toBe(401);
    expect(await call(port, '/validate/vimana', { certificate: clusterUser })).toBe(401);
    expect(await call(port, '/validate/vimana', { certificate: someone })).toBe(403);
    expect(await call(port, '/validate/vimana', { certificate: apiserver })).toBe(200);
  });

  it('serves /metrics only to a token whose user may get /metrics', async () => {
    const port = prismgate.webhookPort;
    expect(await call(port, '/metrics')).toBe(401);
    expect(await call(port, '/metrics', { token: 'bogus' })).toBe(401);
    await kubectlOk(['create', 'serviceaccount', 'scraper', '-n', ns]);
    const token = (await kubectlOk(['create', 'token', 'scraper', '-n', ns])).trim();
    expect(await call(port, '/metrics', { token })).toBe(403);
    await kubectlOk(['create', 'clusterrole', `${ns}-metrics`, '--verb=get', '--non-resource-url=/metrics']);
    await kubectlOk([
      'create',
      'clusterrolebinding',
      `${ns}-metrics`,
      `--clusterrole=${ns}-metrics`,
      `--serviceaccount=${ns}:scraper`,
    ]);
    try {
      // SubjectAccessReview answers are cached 10 s.
      await new Promise((resolve) => setTimeout(resolve, 10_500));
      expect(await call(port, '/metrics', { token })).toBe(200);
    } finally {
      await kubectlOk(['delete', 'clusterrolebinding,clusterrole', `${ns}-metrics`]);
    }
  });
});
