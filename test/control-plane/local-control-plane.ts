/**
 * A real Kubernetes control plane on loopback: etcd, kube-apiserver and kube-controller-manager, with
 * RBAC, a front-proxy CA for the aggregation layer and service-account signing. There is no scheduler
 * and no kubelet, so Pods stay Pending; namespace deletion, garbage collection and the workload
 * controllers (Deployment → ReplicaSet → Pod, Job) run as in any cluster.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureBinaries, type ControlPlaneBinaries } from './binaries.ts';
import {
  createClusterPki,
  FRONT_PROXY_CLIENT_NAME,
  USERS,
  writeAdmissionConfiguration,
  type ClusterPki,
} from './cluster-pki.ts';
import { writeKubeconfig } from './kubeconfig.ts';
import { ManagedProcess } from './managed-process.ts';

export interface StartOptions {
  /** Folder for PKI, etcd data, logs and kubeconfigs; emptied first. */
  dir: string;
  binaries?: ControlPlaneBinaries;
  log?: (line: string) => void;
}

export class ControlPlaneStartError extends Error {}

/** A port that was free a moment ago; the processes report it if it got taken meanwhile. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface TlsClient {
  ca: string;
  cert: string;
  key: string;
}

/** GET over TLS with a client certificate; resolves to the status code (0 on connection failure). */
function probe(url: string, tls: TlsClient): Promise<number> {
  return new Promise((resolve) => {
    const req = https.get(url, { ...tls, timeout: 3000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

function explainExit(proc: ManagedProcess): ControlPlaneStartError {
  const tail = proc.logTail();
  const hint = /address already in use/.test(tail)
    ? `a port it needs is in use by another process; free it or run again (ports are picked at random).`
    : `see ${proc.logFile}.`;
  return new ControlPlaneStartError(
    `${proc.name} exited while starting: ${hint}\n--- ${proc.name} log ---\n${tail}`,
  );
}

async function waitFor(
  what: string,
  procs: ManagedProcess[],
  check: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const dead = procs.find((p) => !p.running);
    if (dead) throw explainExit(dead);
    if (await check()) return;
    await sleep(250);
  }
  const logs = procs.map((p) => `--- ${p.name} (${p.logFile}) ---\n${p.logTail(15)}`).join('\n');
  throw new ControlPlaneStartError(`timed out after ${timeoutMs / 1000}s waiting for ${what}\n${logs}`);
}

export class LocalControlPlane {
  private constructor(
    readonly dir: string,
    readonly server: string,
    readonly pki: ClusterPki,
    /** kubeconfig whose current context is the administrator (system:masters); also has the developer context. */
    readonly kubeconfig: string,
    /** kubeconfig of the unprivileged user `dev-user` (group prism-developers). */
    readonly developerKubeconfig: string,
    private readonly processes: ManagedProcess[],
    private readonly healthChecks: Record<string, () => Promise<boolean>>,
  ) {}

  static async start(options: StartOptions): Promise<LocalControlPlane> {
    const log = options.log ?? (() => {});
    const binaries = options.binaries ?? (await ensureBinaries(log));
    const dir = path.resolve(options.dir);
    rmSync(dir, { recursive: true, force: true });
    const logs = path.join(dir, 'logs');
    mkdirSync(logs, { recursive: true });
    const pki = createClusterPki(path.join(dir, 'pki'));
    const adminTls: TlsClient = {
      ca: pki.ca.certPem,
      cert: pki.users.admin.certPem,
      key: pki.users.admin.keyPem,
    };
    const processes: ManagedProcess[] = [];
    const started = Date.now();
    try {
      const [etcdPort, peerPort, apiPort, kcmPort] = [
        await freePort(),
        await freePort(),
        await freePort(),
        await freePort(),
      ];
      const etcdUrl = `https://127.0.0.1:${etcdPort}`;
      const etcd = new ManagedProcess(
        'etcd',
        binaries.etcd,
        [
          '--name=prismgate',
          `--data-dir=${path.join(dir, 'etcd')}`,
          `--listen-client-urls=${etcdUrl}`,
          `--advertise-client-urls=${etcdUrl}`,
          `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
          `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
          `--initial-cluster=prismgate=http://127.0.0.1:${peerPort}`,
          `--cert-file=${pki.etcdServer.cert}`,
          `--key-file=${pki.etcdServer.key}`,
          `--trusted-ca-file=${pki.ca.certFile}`,
          '--client-cert-auth',
          // A throw-away test store: durability buys nothing and fsync costs seconds on slow disks.
          '--unsafe-no-fsync',
          '--log-level=warn',
        ],
        path.join(logs, 'etcd.log'),
      );
      processes.push(etcd);
      const etcdTls = { ca: pki.ca.certPem, cert: pki.users.admin.certPem, key: pki.users.admin.keyPem };
      // etcd accepts any client certificate of the cluster CA.
      await waitFor(
        'etcd /health',
        [etcd],
        async () => (await probe(`${etcdUrl}/health`, etcdTls)) === 200,
        60_000,
      );
      log(`etcd ready on ${etcdUrl}`);

      const server = `https://127.0.0.1:${apiPort}`;
      const apiserver = new ManagedProcess(
        'kube-apiserver',
        binaries.kubeApiserver,
        [
          '--bind-address=127.0.0.1',
          '--advertise-address=127.0.0.1',
          `--secure-port=${apiPort}`,
          `--etcd-servers=${etcdUrl}`,
          `--etcd-cafile=${pki.ca.certFile}`,
          `--etcd-certfile=${pki.apiserverEtcdClient.cert}`,
          `--etcd-keyfile=${pki.apiserverEtcdClient.key}`,
          `--tls-cert-file=${pki.apiserver.cert}`,
          `--tls-private-key-file=${pki.apiserver.key}`,
          `--client-ca-file=${pki.ca.certFile}`,
          '--authorization-mode=RBAC',
          `--service-account-key-file=${pki.serviceAccountPub}`,
          `--service-account-signing-key-file=${pki.serviceAccountKey}`,
          '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
          '--service-cluster-ip-range=10.96.0.0/16',
          // No kube-proxy and no routable address: the `kubernetes` Service gets no endpoints.
          '--endpoint-reconciler-type=none',
          // The aggregation layer: a front-proxy CA separate from the client CA, as kubeadm sets it up.
          `--requestheader-client-ca-file=${pki.frontProxyCa.certFile}`,
          `--requestheader-allowed-names=${FRONT_PROXY_CLIENT_NAME}`,
          '--requestheader-username-headers=X-Remote-User',
          '--requestheader-group-headers=X-Remote-Group',
          '--requestheader-extra-headers-prefix=X-Remote-Extra-',
          `--proxy-client-cert-file=${pki.frontProxyClient.cert}`,
          `--proxy-client-key-file=${pki.frontProxyClient.key}`,
          // Webhooks authenticate kube-apiserver by the client certificate this names (docs/security.md).
          `--admission-control-config-file=${writeAdmissionConfiguration(pki)}`,
          '--allow-privileged=true',
          '--profiling=false',
          '--v=1',
        ],
        path.join(logs, 'kube-apiserver.log'),
      );
      processes.push(apiserver);
      await waitFor(
        'kube-apiserver /readyz',
        processes,
        async () => (await probe(`${server}/readyz`, adminTls)) === 200,
        120_000,
      );
      log(`kube-apiserver ready on ${server}`);

      const kubeconfig = path.join(dir, 'kubeconfig');
      const developerKubeconfig = path.join(dir, 'developer.kubeconfig');
      writeKubeconfig(kubeconfig, server, pki.ca.certPem, [
        { context: 'prismgate-admin', credentials: pki.users.admin },
        { context: 'prismgate-developer', credentials: pki.users.developer },
      ]);
      writeKubeconfig(developerKubeconfig, server, pki.ca.certPem, [
        { context: 'prismgate-developer', credentials: pki.users.developer },
      ]);
      const kcmKubeconfig = path.join(dir, 'kube-controller-manager.kubeconfig');
      writeKubeconfig(kcmKubeconfig, server, pki.ca.certPem, [
        { context: 'kube-controller-manager', credentials: pki.controllerManager },
      ]);

      const controllerManager = new ManagedProcess(
        'kube-controller-manager',
        binaries.kubeControllerManager,
        [
          `--kubeconfig=${kcmKubeconfig}`,
          `--authentication-kubeconfig=${kcmKubeconfig}`,
          `--authorization-kubeconfig=${kcmKubeconfig}`,
          '--bind-address=127.0.0.1',
          `--secure-port=${kcmPort}`,
          '--leader-elect=false',
          // As kubeadm does: every controller acts with its own service account and RBAC role.
          '--use-service-account-credentials=true',
          `--service-account-private-key-file=${pki.serviceAccountKey}`,
          `--root-ca-file=${pki.ca.certFile}`,
          '--profiling=false',
          '--v=1',
        ],
        path.join(logs, 'kube-controller-manager.log'),
      );
      processes.push(controllerManager);
      // The service-account controller creating `default` in `default` shows the controllers run.
      await waitFor(
        'kube-controller-manager (the default ServiceAccount)',
        processes,
        async () =>
          (await probe(`${server}/api/v1/namespaces/default/serviceaccounts/default`, adminTls)) === 200,
        120_000,
      );
      log(
        `kube-controller-manager running; control plane ready in ${((Date.now() - started) / 1000).toFixed(1)}s`,
      );
      writeFileSync(path.join(dir, 'server'), server);
      return new LocalControlPlane(dir, server, pki, kubeconfig, developerKubeconfig, processes, {
        etcd: async () => (await probe(`${etcdUrl}/health`, etcdTls)) === 200,
        'kube-apiserver': async () => (await probe(`${server}/readyz`, adminTls)) === 200,
        'kube-controller-manager': async () => true,
      });
    } catch (error) {
      await Promise.all(processes.map((p) => p.stop(5_000)));
      throw error;
    }
  }

  /** The users of the cluster, by role. */
  static readonly users = USERS;

  get processIds(): number[] {
    return this.processes.flatMap((p) => (p.pid === undefined ? [] : [p.pid]));
  }

  /**
   * Stops one process and starts it again on the same ports and data, waiting until it is healthy
   * (fault-injection tests: an etcd or API server restart under prismgate).
   */
  async restart(name: 'etcd' | 'kube-apiserver' | 'kube-controller-manager', downtimeMs = 0): Promise<void> {
    const proc = this.processes.find((p) => p.name === name);
    const healthy = this.healthChecks[name];
    if (!proc || !healthy) throw new Error(`no process ${name}`);
    await proc.restart(downtimeMs);
    await waitFor(`${name} to be healthy again`, this.processes, healthy, 120_000);
  }

  /** Stops the processes in reverse order of start; etcd last so the API server can drain. */
  async stop(): Promise<void> {
    for (const proc of [...this.processes].reverse()) await proc.stop();
  }
}
