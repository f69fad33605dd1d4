/**
 * The prism API for end-to-end tests: started in this process on 127.0.0.1 with a serving certificate of
 * its own CA, and registered with the real control plane the way a deployment registers it: an
 * ExternalName Service to localhost and `APIService v1.prism.kappnav.io` whose caBundle is that CA (never
 * insecureSkipTLSVerify). `stop` removes the APIService first: an APIService whose backend is gone is
 * unavailable, and that stalls every namespace deletion of the later tests.
 */
import type { TlsMaterial } from '../../../server/tls.ts';
import { spawn } from 'node:child_process';
import https from 'node:https';
import type { Server as TlsServer } from 'node:tls';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { DAY_MS, createCertificateAuthority, issueServingCertificate } from '../../../certs/pki.ts';
import type { FastifyInstance } from 'fastify';
import type { SharedServices } from '../../../features/feature.ts';
import {
  createPrismApiServer,
  type PrismApiOptions,
} from '../../../features/kappnav/prism/prism-api-server.ts';
import { KappnavRuntime } from '../../../features/kappnav/runtime/kappnav-runtime.ts';
import { ApiDiscovery } from '../../../pkg/kube/api-discovery.ts';
import { CacheSet } from '../../../pkg/kube/cache-set.ts';
import { KubeClient } from '../../../pkg/kube/kube-client.ts';
import { ScriptSandbox } from '../../../pkg/sandbox/script-sandbox.ts';
import { inject } from 'vitest';
import { eventually, freshNamespace, kubeConfig, kubectl, kubectlOk } from './cluster.ts';
import { installKappnav, KAPPNAV_NAMESPACE } from './kappnav.ts';

export const API_SERVICE = 'v1.prism.kappnav.io';

export interface RunningPrismApi {
  server: FastifyInstance;
  port: number;
  /** The CA that signed the serving certificate (the APIService's caBundle). */
  caPem: string;
  /** Where the ExternalName Service lives. */
  namespace: string;
  registry: Registry;
  /** A new serving certificate of the same CA, applied the way the process rotates it. */
  rotateServingCertificate(): void;
  stop(): Promise<void>;
}

/** The APIService's Available condition status: "True", "False", or "" when it has none yet. */
export async function apiServiceAvailable(): Promise<string> {
  const out = await kubectl([
    'get',
    'apiservice',
    API_SERVICE,
    '-o',
    'jsonpath={.status.conditions[?(@.type=="Available")].status}',
  ]);
  return out.stdout.trim();
}

/**
 * The prism API without the kappnav feature (no webhook, no reconciler): over a kAppNav runtime of its
 * own, stopped when the server closes.
 */
export async function prismApiWithOwnRuntime(
  services: Pick<
    SharedServices,
    'client' | 'caches' | 'discovery' | 'sandbox' | 'log' | 'registry' | 'kappnavNamespace'
  >,
  tls: TlsMaterial,
  options: PrismApiOptions = {},
): Promise<FastifyInstance> {
  const kappnav = KappnavRuntime.start(services);
  const server = await createPrismApiServer({ ...services, kappnav }, tls, options);
  server.addHook('onClose', () => kappnav.stop());
  return server;
}

export async function startPrismApi(options: PrismApiOptions = {}): Promise<RunningPrismApi> {
  await installKappnav();
  const log = pino({ level: process.env.PRISM_LOG_LEVEL ?? 'warn' });
  // As prismgate's ServiceAccount, as the process runs it.
  const client = new KubeClient(kubeConfig(inject('prismgateKubeconfig')));
  const caches = new CacheSet(client, log);
  const discovery = new ApiDiscovery(client, log);
  await discovery.refresh();
  const sandbox = new ScriptSandbox();
  const registry = new Registry();
  const namespace = await freshNamespace('prism-api');
  const service = 'prismgate-api';
  const ca = createCertificateAuthority('prism-api-e2e-ca', { validForMs: DAY_MS });
  const host = `${service}.${namespace}.svc`;
  const serving = issueServingCertificate(ca, host, [host, 'localhost', '127.0.0.1'], { validForMs: DAY_MS });
  const server = await prismApiWithOwnRuntime(
    { client, caches, discovery, sandbox, log, registry, kappnavNamespace: KAPPNAV_NAMESPACE },
    serving,
    options,
  );
  await server.listen({ host: '127.0.0.1', port: 0 });
  const port = (server.server.address() as { port: number }).port;
  await kubectlOk(['apply', '-f', '-'], {
    input: [
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: service, namespace },
        spec: { type: 'ExternalName', externalName: 'localhost', ports: [{ name: 'https', port }] },
      },
      {
        apiVersion: 'apiregistration.k8s.io/v1',
        kind: 'APIService',
        metadata: { name: API_SERVICE },
        spec: {
          group: 'prism.kappnav.io',
          version: 'v1',
          groupPriorityMinimum: 1000,
          versionPriority: 15,
          service: { namespace, name: service, port },
          caBundle: Buffer.from(ca.certPem).toString('base64'),
        },
      },
    ],
  });
  await eventually(
    'APIService Available=True',
    async () => (await apiServiceAvailable()) === 'True',
    60_000,
    250,
  );
  return {
    server,
    port,
    caPem: ca.certPem,
    namespace,
    registry,
    rotateServingCertificate() {
      const next = issueServingCertificate(ca, host, [host, 'localhost', '127.0.0.1'], {
        validForMs: DAY_MS,
      });
      (server.server as unknown as TlsServer).setSecureContext({ cert: next.certPem, key: next.keyPem });
    },
    async stop() {
      await kubectl(['delete', 'apiservice', API_SERVICE, '--ignore-not-found', '--wait=true']);
      await server.close();
      await caches.stop();
      await sandbox.close();
      client.close();
    },
  };
}

/**
 * Runs a kubectl that does not end by itself (`get -w`, `proxy`) until `done(stdout)` holds, then stops it.
 * Rejects with what it printed when `done` does not hold within `timeoutMs`.
 */
export function kubectlUntil(
  args: string[],
  done: (stdout: string) => boolean,
  options: { timeoutMs?: number; kubeconfig?: string; started?: (stdout: string) => void } = {},
): Promise<string> {
  const child = spawn('kubectl', ['--kubeconfig', options.kubeconfig ?? inject('kubeconfig'), ...args]);
  let stdout = '';
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`kubectl ${args.join(' ')} did not print what was expected:\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      options.started?.(stdout);
      if (done(stdout)) {
        clearTimeout(timer);
        child.kill();
        resolve(stdout);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (!done(stdout))
        reject(new Error(`kubectl ${args.join(' ')} exited (${code}):\n${stdout}\n${stderr}`));
    });
  });
}

/** `kubectl proxy` on a free port; `get(path)` fetches through it as the kubeconfig's user. */
export async function startKubectlProxy(kubeconfig = inject('kubeconfig')) {
  const child = spawn('kubectl', ['--kubeconfig', kubeconfig, 'proxy', '--port=0']);
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Starting to serve on 127\.0\.0\.1:(\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.on('exit', (code) => reject(new Error(`kubectl proxy exited (${code}): ${out}`)));
  });
  const request = async (
    method: string,
    path: string,
    body?: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: unknown }> => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  return {
    get: (path: string) => request('GET', path),
    /** Any method, with a JSON body sent as the given text and any other headers. */
    request,
    stop: () => child.kill(),
  };
}

export interface DirectCredentials {
  token?: string;
  certificate?: { certPem: string; keyPem: string };
  headers?: Record<string, string>;
}

/** A request straight to the server (not through kube-apiserver), as a direct caller would send it. */
export function requestDirectly(
  api: RunningPrismApi,
  path: string,
  credentials: DirectCredentials = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      {
        host: '127.0.0.1',
        port: api.port,
        path,
        ca: api.caPem,
        servername: 'localhost',
        ...(credentials.certificate
          ? { cert: credentials.certificate.certPem, key: credentials.certificate.keyPem }
          : {}),
        headers: {
          ...credentials.headers,
          ...(credentials.token ? { authorization: `Bearer ${credentials.token}` } : {}),
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
  });
}

/** The client certificate of a kubeconfig's current user (the administrator's by default). */
export function clientCertificateOf(kubeconfig?: string): { certPem: string; keyPem: string } {
  const user = kubeConfig(kubeconfig).getCurrentUser();
  if (!user?.certData || !user.keyData) throw new Error('the kubeconfig user has no client certificate');
  return {
    certPem: Buffer.from(user.certData, 'base64').toString(),
    keyPem: Buffer.from(user.keyData, 'base64').toString(),
  };
}

/** The `kappnav.status.value` annotation a resource carries, '' without one. */
export function storedStatusValue(resource: string, namespace: string, name: string): Promise<string> {
  return kubectlOk([
    'get',
    resource,
    name,
    '-n',
    namespace,
    '-o',
    'jsonpath={.metadata.annotations.kappnav\\.status\\.value}',
  ]);
}
