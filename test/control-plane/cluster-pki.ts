/**
 * The PKI of the local control plane, issued with prismgate's own certs/ code, laid out the way
 * kubeadm lays out /etc/kubernetes/pki: a cluster CA, a separate front-proxy CA (the aggregation
 * layer's request-header authentication must not share the client CA), etcd certificates,
 * service-account keys and one client certificate per user; and the client certificate kube-apiserver
 * presents to webhooks (its admission configuration), of a CA of its own that only webhooks trust.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  DAY_MS,
  createCertificateAuthority,
  generateKeyPair,
  issueCertificate,
  issueClientCertificate,
  issueServingCertificate,
  type CertificateAndKey,
} from '../../certs/pki.ts';

export interface ClusterUser {
  name: string;
  groups: string[];
}

/** The users every local cluster has: an administrator and one ordinary user with no permissions. */
export const USERS = {
  admin: { name: 'prismgate-admin', groups: ['system:masters'] },
  developer: { name: 'dev-user', groups: ['prism-developers'] },
} as const satisfies Record<string, ClusterUser>;

export const FRONT_PROXY_CLIENT_NAME = 'front-proxy-client';
/** The name on kube-apiserver's webhook client certificate (the default prismgate accepts, as Gatekeeper's). */
export const WEBHOOK_CLIENT_NAME = 'kube-apiserver';

export interface PemFiles {
  cert: string;
  key: string;
}

export interface ClusterPki {
  dir: string;
  ca: CertificateAndKey & { certFile: string };
  frontProxyCa: CertificateAndKey & { certFile: string };
  apiserver: PemFiles;
  etcdServer: PemFiles;
  apiserverEtcdClient: PemFiles;
  frontProxyClient: PemFiles;
  webhookClientCa: CertificateAndKey & { certFile: string };
  webhookClient: PemFiles;
  controllerManager: CertificateAndKey;
  serviceAccountKey: string;
  serviceAccountPub: string;
  users: Record<keyof typeof USERS, CertificateAndKey>;
}

const YEAR = { validForMs: 365 * DAY_MS };

function write(dir: string, name: string, pair: CertificateAndKey): PemFiles {
  const files = { cert: path.join(dir, `${name}.crt`), key: path.join(dir, `${name}.key`) };
  writeFileSync(files.cert, pair.certPem);
  writeFileSync(files.key, pair.keyPem, { mode: 0o600 });
  return files;
}

export function createClusterPki(dir: string): ClusterPki {
  mkdirSync(dir, { recursive: true });
  const ca = createCertificateAuthority('prismgate-local-cluster-ca', YEAR);
  const frontProxyCa = createCertificateAuthority('prismgate-local-front-proxy-ca', YEAR);
  const webhookClientCa = createCertificateAuthority('prismgate-local-webhook-client-ca', YEAR);
  const loopback = ['localhost', '127.0.0.1', '::1'];
  const apiserverHosts = [
    ...loopback,
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    'kubernetes.default.svc.cluster.local',
    '10.96.0.1',
  ];
  const serviceAccount = generateKeyPair();
  const saKeyFile = path.join(dir, 'sa.key');
  const saPubFile = path.join(dir, 'sa.pub');
  writeFileSync(saKeyFile, serviceAccount.privateKeyPem, { mode: 0o600 });
  writeFileSync(saPubFile, serviceAccount.publicKeyPem);

  return {
    dir,
    ca: { ...ca, certFile: write(dir, 'ca', ca).cert },
    frontProxyCa: { ...frontProxyCa, certFile: write(dir, 'front-proxy-ca', frontProxyCa).cert },
    apiserver: write(dir, 'apiserver', issueServingCertificate(ca, 'kube-apiserver', apiserverHosts, YEAR)),
    etcdServer: write(
      dir,
      'etcd-server',
      issueCertificate({
        issuer: ca,
        commonName: 'etcd',
        hosts: loopback,
        usage: 'server-and-client',
        ...YEAR,
      }),
    ),
    apiserverEtcdClient: write(
      dir,
      'apiserver-etcd-client',
      issueClientCertificate(ca, { name: 'kube-apiserver-etcd-client' }, YEAR),
    ),
    frontProxyClient: write(
      dir,
      'front-proxy-client',
      issueClientCertificate(frontProxyCa, { name: FRONT_PROXY_CLIENT_NAME }, YEAR),
    ),
    webhookClientCa: { ...webhookClientCa, certFile: write(dir, 'webhook-client-ca', webhookClientCa).cert },
    webhookClient: write(
      dir,
      'webhook-client',
      issueClientCertificate(webhookClientCa, { name: WEBHOOK_CLIENT_NAME }, YEAR),
    ),
    controllerManager: issueClientCertificate(ca, { name: 'system:kube-controller-manager' }, YEAR),
    serviceAccountKey: saKeyFile,
    serviceAccountPub: saPubFile,
    users: {
      admin: issueClientCertificate(ca, USERS.admin, YEAR),
      developer: issueClientCertificate(ca, USERS.developer, YEAR),
    },
  };
}

/**
 * kube-apiserver's `--admission-control-config-file`: both webhook admission plugins read a kubeconfig
 * whose user `*` (every webhook host; a test cluster's webhooks are prismgate's and the benchmark's peers)
 * holds the webhook client certificate, as AdmissionConfiguration's `kubeConfigFile` allows. Returns the
 * file.
 */
export function writeAdmissionConfiguration(pki: ClusterPki): string {
  const kubeconfig = path.join(pki.dir, 'webhook-client.kubeconfig');
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      users: [
        {
          name: '*',
          user: { 'client-certificate': pki.webhookClient.cert, 'client-key': pki.webhookClient.key },
        },
      ],
    }),
  );
  const webhooks = {
    apiVersion: 'apiserver.config.k8s.io/v1',
    kind: 'WebhookAdmissionConfiguration',
    kubeConfigFile: kubeconfig,
  };
  const file = path.join(pki.dir, 'admission-configuration.json');
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'apiserver.config.k8s.io/v1',
      kind: 'AdmissionConfiguration',
      plugins: ['ValidatingAdmissionWebhook', 'MutatingAdmissionWebhook'].map((name) => ({
        name,
        configuration: webhooks,
      })),
    }),
  );
  return file;
}
