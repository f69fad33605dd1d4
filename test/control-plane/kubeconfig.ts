import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import type { CertificateAndKey } from '../../certs/pki.ts';

const b64 = (pem: string) => Buffer.from(pem).toString('base64');

export interface KubeconfigUser {
  /** Context name, also used as the user entry's name. */
  context: string;
  /** A client certificate, or a bearer token (a ServiceAccount's, from the TokenRequest API). */
  credentials: CertificateAndKey | { token: string };
}

function userEntry(credentials: KubeconfigUser['credentials']): Record<string, string> {
  if ('token' in credentials) return { token: credentials.token };
  return {
    'client-certificate-data': b64(credentials.certPem),
    'client-key-data': b64(credentials.keyPem),
  };
}

/** Writes a kubeconfig with one context per user; the first user's context is the current one. */
export function writeKubeconfig(file: string, server: string, caPem: string, users: KubeconfigUser[]): void {
  const clusterName = 'prismgate-local';
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': users[0]?.context,
    clusters: [{ name: clusterName, cluster: { server, 'certificate-authority-data': b64(caPem) } }],
    users: users.map((u) => ({ name: u.context, user: userEntry(u.credentials) })),
    contexts: users.map((u) => ({ name: u.context, context: { cluster: clusterName, user: u.context } })),
  };
  writeFileSync(file, stringify(config), { mode: 0o600 });
}
