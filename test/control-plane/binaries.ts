/**
 * The control plane's binaries, built from Go modules into a cache folder outside git.
 *
 * No package registry these machines reach ships kube-apiserver or etcd, so the Go module in this folder
 * pins k8s.io/kubernetes and builds kube-apiserver, kube-controller-manager and the etcd release that
 * Kubernetes requires. The first build takes a long while on two cores; every later call finds the
 * binaries in the cache (keyed by a hash of go.mod and go.sum, so a version bump rebuilds).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, mkdtempSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { goBuild } from './go-build.ts';

export interface ControlPlaneBinaries {
  dir: string;
  etcd: string;
  kubeApiserver: string;
  kubeControllerManager: string;
  kubernetesVersion: string;
}

const moduleDir = path.dirname(fileURLToPath(import.meta.url));
const TARGETS = {
  kubeApiserver: { pkg: 'k8s.io/kubernetes/cmd/kube-apiserver', file: 'kube-apiserver' },
  kubeControllerManager: {
    pkg: 'k8s.io/kubernetes/cmd/kube-controller-manager',
    file: 'kube-controller-manager',
  },
  etcd: { pkg: 'go.etcd.io/etcd/server/v3', file: 'etcd' },
} as const;

export class ControlPlaneBuildError extends Error {}

function kubernetesVersion(goMod: string): string {
  const match = /^\s*(?:require\s+)?k8s\.io\/kubernetes (v[^\s]+)/m.exec(goMod);
  if (!match?.[1]) throw new ControlPlaneBuildError(`${moduleDir}/go.mod does not require k8s.io/kubernetes`);
  return match[1];
}

export function cacheRoot(): string {
  if (process.env.PRISMGATE_CACHE_DIR) return process.env.PRISMGATE_CACHE_DIR;
  return path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'prismgate');
}

function locate(): ControlPlaneBinaries {
  const goMod = readFileSync(path.join(moduleDir, 'go.mod'), 'utf8');
  const goSum = readFileSync(path.join(moduleDir, 'go.sum'), 'utf8');
  const version = kubernetesVersion(goMod);
  const hash = createHash('sha256').update(goMod).update(goSum).digest('hex').slice(0, 12);
  const dir = path.join(cacheRoot(), 'control-plane', `${version}-${hash}`);
  return {
    dir,
    kubernetesVersion: version,
    etcd: path.join(dir, TARGETS.etcd.file),
    kubeApiserver: path.join(dir, TARGETS.kubeApiserver.file),
    kubeControllerManager: path.join(dir, TARGETS.kubeControllerManager.file),
  };
}

function requireGo(): string {
  const result = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (result.error) {
    throw new ControlPlaneBuildError(
      'Go was not found on PATH. prismgate builds kube-apiserver, kube-controller-manager and etcd from Go ' +
        'modules for its local control plane: install Go 1.26 or newer (https://go.dev/dl/) and run again.',
    );
  }
  return result.stdout.trim();
}

/** Counts the packages a build has to compile, so progress can say "n of N". */
function countPackages(env: NodeJS.ProcessEnv): number | undefined {
  const pkgs = Object.values(TARGETS).map((t) => t.pkg);
  const result = spawnSync('go', ['list', '-deps', ...pkgs], {
    cwd: moduleDir,
    env,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return result.status === 0 ? result.stdout.split('\n').filter(Boolean).length : undefined;
}

/** Strips debug data (a lighter link on two cores) and stamps the version `kubectl version` reports. */
function linkerFlags(version: string): string {
  const [major, minor] = version.replace(/^v/, '').split('.');
  const stamp = ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version'].flatMap((pkg) => [
    `-X ${pkg}.gitVersion=${version}`,
    `-X ${pkg}.gitMajor=${major}`,
    `-X ${pkg}.gitMinor=${minor}`,
    `-X ${pkg}.gitTreeState=clean`,
  ]);
  return ['-s', '-w', ...stamp].join(' ');
}

async function build(target: ControlPlaneBinaries, log: (line: string) => void): Promise<void> {
  const goVersion = requireGo();
  const env = { ...process.env, CGO_ENABLED: '0' };
  log(`building Kubernetes ${target.kubernetesVersion} control plane from Go modules with ${goVersion}`);
  mkdirSync(path.dirname(target.dir), { recursive: true });
  // Build into a private folder and rename it into place: an interrupted or concurrent build never
  // leaves a half-written cache behind.
  const staging = mkdtempSync(`${target.dir}.building-`);
  const total = countPackages(env);
  // Measured on fresh 2-core machines of this project: 318-321 s from an empty Go module cache, downloads included.
  log(
    `first run on this machine only: ${total ?? 'about 2,500'} Go packages to compile into ${target.dir}, ` +
      'about 5-6 minutes on 2 cores (progress every 15 s)',
  );
  const started = Date.now();
  const { code, tail } = await goBuild({
    args: [
      '-trimpath',
      '-ldflags',
      linkerFlags(target.kubernetesVersion),
      '-o',
      `${staging}/`,
      ...Object.values(TARGETS).map((t) => t.pkg),
    ],
    cwd: moduleDir,
    env,
    log,
    total,
  });
  if (code !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new ControlPlaneBuildError(
      `go build of the control plane failed (exit ${code}). Last output:\n${tail.join('\n')}\n` +
        `Check that Go is 1.26 or newer, that the Go module proxy is reachable and that ${cacheRoot()} has ` +
        `a few GB free, then run again.`,
    );
  }
  // `go build -o dir/` names a module's main package after its last path element that is not a major
  // version suffix, so etcd arrives as "server".
  renameSync(path.join(staging, 'server'), path.join(staging, TARGETS.etcd.file));
  try {
    renameSync(staging, target.dir);
  } catch (error) {
    // Another build finished first: its result is as good as ours.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(target.kubeApiserver)) throw error;
  }
  log(`control plane built in ${Math.round((Date.now() - started) / 1000)}s`);
}

/** Returns the cached binaries, building them first when this machine has none yet. */
export async function ensureBinaries(
  log: (line: string) => void = console.error,
): Promise<ControlPlaneBinaries> {
  const target = locate();
  if (![target.etcd, target.kubeApiserver, target.kubeControllerManager].every((file) => existsSync(file))) {
    await build(target, log);
  }
  return target;
}
