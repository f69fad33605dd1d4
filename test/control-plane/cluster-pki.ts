/**
 * The PKI of the local control plane, issued with prismgate's own certs/ code, laid out the way
 * kubeadm lays out /etc/kubernetes/pki: a cluster CA, a separate front-proxy CA (the aggregation
 * layer's request-header authentication must not share the client CA), etcd certificates,
 * service-account keys and one client certificate per user.
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
    controllerManager: issueClientCertificate(ca, { name: 'system:kube-controller-manager' }, YEAR),
    serviceAccountKey: saKeyFile,
    serviceAccountPub: saPubFile,
    users: {
      admin: issueClientCertificate(ca, USERS.admin, YEAR),
      developer: issueClientCertificate(ca, USERS.developer, YEAR),
    },
  };
}
