/**
 * Setting up the local control plane for a scenario: the CRDs and kAppNav's maps as `npm run up`
 * installs them, namespaces, objects written in bulk with bounded concurrency, and waiting for a state.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { KubeApiError, type KubeClient } from '../../pkg/kube/kube-client.ts';

const MANIFESTS = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../manifests');

export async function kubectl(kubeconfig: string, ...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)('kubectl', ['--kubeconfig', kubeconfig, ...args], {
    // kube-apiserver's /metrics alone is several MiB.
    maxBuffer: 64 * 2 ** 20,
  });
  return stdout;
}

/** manifests/crds, applied and Established (idempotent: every scenario may call it). */
export async function installCrds(kubeconfig: string): Promise<void> {
  const crds = path.join(MANIFESTS, 'crds');
  await kubectl(kubeconfig, 'apply', '--server-side', '--force-conflicts', '-f', crds);
  await kubectl(kubeconfig, 'wait', '--for=condition=Established', '--timeout=60s', '-f', crds);
}

/**
 * Server-side applies `objects` as `kubectl apply --server-side` does, then waits until the
 * CustomResourceDefinitions among them are Established (a peer's CRDs, before its policies).
 */
export async function applyManifest(kubeconfig: string, objects: readonly object[]): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'prismgate-bench-manifest-'));
  try {
    const file = path.join(dir, 'manifest.json');
    writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
    await kubectl(kubeconfig, 'apply', '--server-side', '--force-conflicts', '-f', file);
    const crds = objects.filter((o) => (o as { kind?: string }).kind === 'CustomResourceDefinition');
    for (const crd of crds) {
      const name = (crd as { metadata: { name: string } }).metadata.name;
      await kubectl(kubeconfig, 'wait', '--for=condition=Established', '--timeout=60s', `crd/${name}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Waits until a CustomResourceDefinition another component creates (a Gatekeeper template's constraint
 * kind) exists and is Established; `kubectl wait` alone fails at once on an object that is not there yet.
 */
export async function untilCrdEstablished(
  kubeconfig: string,
  name: string,
  timeoutMs: number,
): Promise<void> {
  await until(
    `the CRD ${name}`,
    () =>
      kubectl(kubeconfig, 'get', `crd/${name}`).then(
        () => true,
        () => false,
      ),
    timeoutMs,
    500,
  );
  await kubectl(
    kubeconfig,
    'wait',
    '--for=condition=Established',
    `--timeout=${timeoutMs / 1000}s`,
    `crd/${name}`,
  );
}

/** The kappnav namespace and manifests/kappnav (kappnav-config, status maps, actions), idempotent. */
export async function installKappnav(kubeconfig: string): Promise<void> {
  await installCrds(kubeconfig);
  await kubectl(kubeconfig, 'create', 'namespace', 'kappnav').catch((error: Error) => {
    if (!/AlreadyExists/.test(error.message)) throw error;
  });
  await kubectl(
    kubeconfig,
    'apply',
    '--server-side',
    '--force-conflicts',
    '-f',
    path.join(MANIFESTS, 'kappnav'),
  );
}

export async function createNamespace(
  client: KubeClient,
  name: string,
  labels: Record<string, string> = {},
): Promise<string> {
  await client.request('POST', '/api/v1/namespaces', { body: { metadata: { name, labels } } });
  return name;
}

/** Deletes namespaces without waiting: the namespace controller empties them in the background. */
export async function deleteNamespaces(client: KubeClient, names: readonly string[]): Promise<void> {
  for (const name of names) {
    await client.request('DELETE', `/api/v1/namespaces/${name}`).catch((error: unknown) => {
      if (!(error instanceof KubeApiError && error.code === 404)) throw error;
    });
  }
}

/** Server-side apply of `body` at `objectPath`, as `kubectl apply --server-side` writes it. */
export function serverSideApply(client: KubeClient, objectPath: string, body: object): Promise<unknown> {
  return client.request('PATCH', objectPath, {
    body,
    contentType: 'application/apply-patch+yaml',
    query: { fieldManager: 'bench', force: true },
  });
}

/** Runs `work` over `items`, `concurrency` at a time. */
export async function inParallel<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) await work(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/** Polls `check` every `everyMs` until it holds; fails naming `what` after `timeoutMs`. */
export async function until(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  everyMs = 250,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
