/**
 * The real Vimana operator beside prismgate on the e2e control plane: its CRDs (replacing prismgate's for
 * the length of a file), the Gateway API and EnvoyProxy CRDs it needs, its own identity (a ServiceAccount
 * bound to its published ClusterRole, so its requests are told apart from the tests'), and the process.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { ManagedProcess } from '../../control-plane/managed-process.ts';
import {
  ensureVimanaOperator,
  startVimanaOperator,
  type VimanaOperatorBuild,
} from '../../control-plane/vimana-operator.ts';
import { kubectl, kubectlOk } from './cluster.ts';
import { applyCrds } from './crds.ts';

export const OPERATOR_NAMESPACE = 'vimana-system';
export const OPERATOR_SERVICE_ACCOUNT = 'vimana-operator';
/** The username the operator's requests carry. */
export const OPERATOR_USER = `system:serviceaccount:${OPERATOR_NAMESPACE}:${OPERATOR_SERVICE_ACCOUNT}`;
/** The field manager controller-runtime's client writes under: the binary's name. */
export const OPERATOR_FIELD_MANAGER = 'manager';

export const GATEWAY_API_CRDS = [
  'gateways',
  'grpcroutes',
  'gatewayclasses',
  'httproutes',
  'referencegrants',
].map((plural) => `${plural}.gateway.networking.k8s.io`);

/** The build, logging its progress the first time a machine needs it. */
export function operatorBuild(): Promise<VimanaOperatorBuild> {
  return ensureVimanaOperator((line) => console.log(`[vimana-operator] ${line}`));
}

/** The operator's own CRDs, as a Vimana user has them (prismgate's are replaced until a file restores them). */
export async function installUpstreamVimanaCrds(build: VimanaOperatorBuild): Promise<void> {
  await applyCrds(build.vimanaCrds);
}

/** What the operator needs besides its CRDs: Gateway API, EnvoyProxy, and the Envoy Gateway namespace. */
export async function installGatewayCrds(build: VimanaOperatorBuild): Promise<void> {
  await applyCrds(build.gatewayApiCrds);
  await applyCrds(build.envoyProxyCrd);
  await kubectl(['create', 'namespace', 'envoy-gateway-system']);
}

/** Removes the Gateway API CRDs again, so later files meet the cluster they always did. */
export async function removeGatewayApiCrds(): Promise<void> {
  await kubectl(['delete', 'crd', '--ignore-not-found', '--wait=true', ...GATEWAY_API_CRDS]);
}

/** A free loopback port (for the operator's metrics endpoint). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * A kubeconfig for the operator's ServiceAccount, bound to the ClusterRole the operator publishes
 * (`operator/config/rbac/role.yaml`, applied unchanged): it runs with exactly the rights it has in a cluster.
 */
async function operatorKubeconfig(build: VimanaOperatorBuild, dir: string): Promise<string> {
  await kubectl(['create', 'namespace', OPERATOR_NAMESPACE]);
  await kubectl(['create', 'serviceaccount', OPERATOR_SERVICE_ACCOUNT, '-n', OPERATOR_NAMESPACE]);
  await kubectlOk(['apply', '--server-side', '-f', build.rbacRole]);
  await kubectl([
    'create',
    'clusterrolebinding',
    'vimana-operator',
    '--clusterrole=manager-role',
    `--serviceaccount=${OPERATOR_NAMESPACE}:${OPERATOR_SERVICE_ACCOUNT}`,
  ]);
  const token = (
    await kubectlOk(['create', 'token', OPERATOR_SERVICE_ACCOUNT, '-n', OPERATOR_NAMESPACE, '--duration=2h'])
  ).trim();
  const admin = JSON.parse(await kubectlOk(['config', 'view', '--raw', '--minify', '-o', 'json'])) as {
    clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
  };
  const cluster = admin.clusters[0]!.cluster;
  const file = path.join(dir, 'operator.kubeconfig');
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'vimana-operator',
      clusters: [{ name: 'local', cluster }],
      users: [{ name: 'vimana-operator', user: { token } }],
      contexts: [{ name: 'vimana-operator', context: { cluster: 'local', user: 'vimana-operator' } }],
    }),
    { mode: 0o600 },
  );
  return file;
}

export interface RunningOperator {
  process: ManagedProcess;
  /** Lines of the operator's log so far. */
  log(): string[];
  stop(): Promise<void>;
}

/** Starts the operator with its own identity; its log is kept for assertions and error messages. */
export async function startOperator(build: VimanaOperatorBuild): Promise<RunningOperator> {
  const dir = mkdtempSync(path.join(tmpdir(), 'vimana-operator-'));
  const logFile = path.join(dir, 'operator.log');
  const process = startVimanaOperator({
    build,
    kubeconfig: await operatorKubeconfig(build, dir),
    logFile,
    metricsPort: await freePort(),
  });
  return {
    process,
    log: () => readFileSync(logFile, 'utf8').split('\n').filter(Boolean),
    stop: () => process.stop(),
  };
}
