/**
 * prismgate's own identity on the local control plane, as a deployment has it: its namespaces, its
 * ServiceAccount and exactly the RBAC of manifests/deploy/ (plus manifests/local/, what running outside
 * the cluster adds), and a kubeconfig holding a token the TokenRequest API issued for that ServiceAccount.
 * prismgate started with this kubeconfig can do what a deployed prismgate can, and nothing more: a
 * permission the manifests lack fails the end-to-end test that needs it.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { writeKubeconfig } from './kubeconfig.ts';

const run = promisify(execFile);
const MANIFESTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../manifests');

export const PRISMGATE_NAMESPACE = 'prismgate-system';
export const PRISMGATE_SERVICE_ACCOUNT = 'prismgate';
/** The user name kube-apiserver gives the ServiceAccount (for `--as` and SubjectAccessReviews). */
export const PRISMGATE_USER = `system:serviceaccount:${PRISMGATE_NAMESPACE}:${PRISMGATE_SERVICE_ACCOUNT}`;

/** The manifests that make prismgate's identity, in the order they apply. */
export const IDENTITY_MANIFESTS = [
  'deploy/namespace.yaml',
  'deploy/serviceaccount.yaml',
  'deploy/rbac.yaml',
  'local/registration-rbac.yaml',
].map((file) => path.join(MANIFESTS, file));

/**
 * Applies the identity manifests as the administrator and writes `file`: a kubeconfig for the
 * ServiceAccount, valid `hours` (a test run, or a day of `npm run up`).
 */
export async function installPrismgateIdentity(options: {
  adminKubeconfig: string;
  server: string;
  caPem: string;
  file: string;
  hours?: number;
}): Promise<string> {
  const kubectl = (...args: string[]) =>
    run('kubectl', ['--kubeconfig', options.adminKubeconfig, ...args], { maxBuffer: 16 << 20 });
  for (const manifest of IDENTITY_MANIFESTS) await kubectl('apply', '--server-side', '-f', manifest);
  // `kubectl create token` asks the TokenRequest API: a bound, expiring token, as a projected volume has.
  const { stdout } = await kubectl(
    'create',
    'token',
    PRISMGATE_SERVICE_ACCOUNT,
    '-n',
    PRISMGATE_NAMESPACE,
    `--duration=${options.hours ?? 24}h`,
  );
  writeKubeconfig(options.file, options.server, options.caPem, [
    { context: 'prismgate', credentials: { token: stdout.trim() } },
  ]);
  return options.file;
}
