/**
 * The webhook listener over real TLS: only kube-apiserver's client certificate may send AdmissionReviews,
 * /metrics only for a token's user allowed `get /metrics`, the probes for anyone (issue 15, finding 4).
 */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DAY_MS,
  createCertificateAuthority,
  issueClientCertificate,
  issueServingCertificate,
  type CertificateAndKey,
} from '../certs/pki.ts';
import type { TokenAccess } from '../server/delegated-auth/token-access.ts';
import { AdmissionMetrics } from './admission-metrics.ts';
import { createWebhookServer, type WebhookServer } from './webhook-server.ts';

const DAY = { validForMs: DAY_MS };
const servingCa = createCertificateAuthority('serving-ca', DAY);
const clientCa = createCertificateAuthority('webhook-client-ca', DAY);
const otherCa = createCertificateAuthority('other-ca', DAY);
const apiserver = issueClientCertificate(clientCa, { name: 'kube-apiserver' }, DAY);
const impostor = issueClientCertificate(otherCa, { name: 'kube-apiserver' }, DAY);
const someone = issueClientCertificate(clientCa, { name: 'someone' }, DAY);

const access: TokenAccess = {
  tokens: {
    authenticate: (token) =>
      Promise.resolve(
        token === 'bogus'
          ? { ok: false, reason: 'invalid' }
          : { ok: true, user: { name: token, groups: ['system:authenticated'], extra: {} } },
      ),
  },
  reviewer: {
    review: (user, attributes) =>
      Promise.resolve({
        allowed:
          user.name === 'prometheus' &&
          JSON.stringify(attributes) === '{"nonResource":{"verb":"get","path":"/metrics"}}',
        reason: '',
      }),
  },
};

let server: WebhookServer;
let port: number;
beforeAll(async () => {
  server = await createWebhookServer({
    endpoints: [
      {
        type: 'validating',
        name: 'all',
        path: '/validate/all',
        declaration: () => ({ name: 'all.prismgate.kappnav.io', rules: [] }),
        validate: () => ({ denials: [], warnings: [] }),
      },
    ],
    tls: issueServingCertificate(servingCa, 'webhook', ['127.0.0.1'], DAY),
    log: pino({ level: 'silent' }),
    metrics: new AdmissionMetrics(new Registry()),
    registry: new Registry(),
    metricsAccess: access,
    clients: { caPem: clientCa.certPem, names: ['kube-apiserver'] },
    ready: () => true,
  });
  await server.listen({ host: '127.0.0.1', port: 0 });
  port = (server.server.address() as AddressInfo).port;
});
afterAll(() => server.close());

const review = JSON.stringify({
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  request: {
    uid: 'u',
    kind: { group: '', version: 'v1', kind: 'ConfigMap' },
    resource: { group: '', version: 'v1', resource: 'configmaps' },
    operation: 'CREATE',
    userInfo: { username: 'jane' },
    object: { metadata: { name: 'x' } },
  },
});

function call(
  path: string,
  options: { certificate?: CertificateAndKey; token?: string; body?: string } = {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = https.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.body ? 'POST' : 'GET',
        ca: servingCa.certPem,
        ...(options.certificate
          ? { cert: options.certificate.certPem, key: options.certificate.keyPem }
          : {}),
        headers: {
          'content-type': 'application/json',
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
        agent: false,
      },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

describe('the webhook listener with kube-apiserver authenticated by client certificate', () => {
  it('answers kube-apiserver, and refuses reviews from anyone else', async () => {
    expect(await call('/validate/all', { body: review, certificate: apiserver })).toBe(200);
    expect(await call('/validate/all', { body: review })).toBe(401);
    expect(await call('/validate/all', { body: review, certificate: impostor })).toBe(401);
    expect(await call('/validate/all', { body: review, certificate: someone })).toBe(403);
  });

  it('keeps the probes open: the kubelet presents no certificate', async () => {
    expect(await call('/readyz')).toBe(200);
    expect(await call('/livez')).toBe(200);
  });

  it('serves /metrics only to a token whose user may get /metrics', async () => {
    expect(await call('/metrics')).toBe(401);
    expect(await call('/metrics', { certificate: apiserver })).toBe(401);
    expect(await call('/metrics', { token: 'bogus' })).toBe(401);
    expect(await call('/metrics', { token: 'dev-user' })).toBe(403);
    expect(await call('/metrics', { token: 'prometheus' })).toBe(200);
  });
});
