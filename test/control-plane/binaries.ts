/**
 * The control plane's binaries, and a kubectl of the same release, built from Go modules into a cache
 * folder outside git.
 *
 * No package registry these machines reach ships kube-apiserver or etcd, so the Go module in this folder
 * pins k8s.io/kubernetes and builds kube-apiserver, kube-controller-manager and the etcd release that
 * Kubernetes requires. The module in `kubectl/` pins the same release and builds its kubectl: the
 * machine's kubectl is older, and the conformance tests run both. It is a module of its own so that
 * adding it did not change the control plane's go.mod (whose hash keys every machine's cached build).
 * The first build takes a long while on two cores; every later call finds the binaries in the cache (keyed
 * by a hash of go.mod and go.sum, so a version bump rebuilds).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BuildCommandError, buildOnce, cacheRoot, goBuild } from './build-cache.ts';

export interface ControlPlaneBinaries {
  dir: string;
  etcd: string;
  kubeApiserver: string;
  kubeControllerManager: string;
  kubernetesVersion: string;
}

interface Target {
  pkg: string;
  file: string;
}

/** One Go module of this folder and the commands it builds into `<cache root>/<cacheName>/<version>-<hash>/`. */
interface GoModuleBuild<K extends string> {
  moduleDir: string;
  cacheName: string;
  /** What the build is, for progress lines. */
  title: string;
  targets: Record<K, Target>;
  /** Measured on fresh 2-core machines of this project, from an empty Go module cache, downloads included. */
  expected: string;
}

const here = path.dirname(fileURLToPath(import.meta.url));

const CONTROL_PLANE: GoModuleBuild<'kubeApiserver' | 'kubeControllerManager' | 'etcd'> = {
  moduleDir: here,
  cacheName: 'control-plane',
  title: 'control plane',
  targets: {
    kubeApiserver: { pkg: 'k8s.io/kubernetes/cmd/kube-apiserver', file: 'kube-apiserver' },
    kubeControllerManager: {
      pkg: 'k8s.io/kubernetes/cmd/kube-controller-manager',
      file: 'kube-controller-manager',
    },
    etcd: { pkg: 'go.etcd.io/etcd/server/v3', file: 'etcd' },
  },
  expected: 'about 5-6 minutes on 2 cores',
};

const KUBECTL: GoModuleBuild<'kubectl'> = {
  moduleDir: path.join(here, 'kubectl'),
  cacheName: 'kubectl',
  title: 'kubectl',
  targets: { kubectl: { pkg: 'k8s.io/kubernetes/cmd/kubectl', file: 'kubectl' } },
  // 48 s on 2 cores when the control plane was built before (shared packages come from Go's build cache).
  expected: 'about a minute after the control plane, a few minutes without it, on 2 cores',
};

export class ControlPlaneBuildError extends Error {}

/** The k8s.io/kubernetes release a module's go.mod requires. */
export function kubernetesVersion(goMod: string, moduleDir = here): string {
  const match = /^\s*(?:require\s+)?k8s\.io\/kubernetes (v[^\s]+)/m.exec(goMod);
  if (!match?.[1]) throw new ControlPlaneBuildError(`${moduleDir}/go.mod does not require k8s.io/kubernetes`);
  return match[1];
}

interface Located<K extends string> {
  dir: string;
  kubernetesVersion: string;
  files: Record<K, string>;
}

function locate<K extends string>(module: GoModuleBuild<K>): Located<K> {
  const goMod = readFileSync(path.join(module.moduleDir, 'go.mod'), 'utf8');
  const goSum = readFileSync(path.join(module.moduleDir, 'go.sum'), 'utf8');
  const version = kubernetesVersion(goMod, module.moduleDir);
  const hash = createHash('sha256').update(goMod).update(goSum).digest('hex').slice(0, 12);
  const dir = path.join(cacheRoot(), module.cacheName, `${version}-${hash}`);
  const files = Object.fromEntries(
    Object.entries<Target>(module.targets).map(([key, target]) => [key, path.join(dir, target.file)]),
  ) as Record<K, string>;
  return { dir, kubernetesVersion: version, files };
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
function countPackages(moduleDir: string, pkgs: string[], env: NodeJS.ProcessEnv): number | undefined {
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

/** `go build -o dir/` names a command after its package path's last element that is not a major version. */
function builtName(pkg: string): string {
  const parts = pkg.split('/');
  const last = parts.at(-1)!;
  return /^v\d+$/.test(last) && parts.length > 1 ? parts.at(-2)! : last;
}

async function build<K extends string>(
  module: GoModuleBuild<K>,
  target: Located<K>,
  log: (line: string) => void,
): Promise<void> {
  const goVersion = requireGo();
  const env = { ...process.env, CGO_ENABLED: '0' };
  const targets = Object.values<Target>(module.targets);
  const pkgs = targets.map((t) => t.pkg);
  log(`building Kubernetes ${target.kubernetesVersion} ${module.title} from Go modules with ${goVersion}`);
  const total = countPackages(module.moduleDir, pkgs, env);
  // The control plane measured 318-321 s on fresh 2-core machines of this project.
  log(
    `first run on this machine only: ${total ?? 'a few thousand'} Go packages to compile into ${target.dir}, ` +
      `${module.expected} (progress every 15 s)`,
  );
  const started = Date.now();
  await buildOnce(
    target.dir,
    () => isComplete(target),
    async (staging) => {
      try {
        await goBuild({
          args: [
            '-trimpath',
            '-ldflags',
            linkerFlags(target.kubernetesVersion),
            '-o',
            `${staging}/`,
            ...pkgs,
          ],
          cwd: module.moduleDir,
          env,
          log,
          total,
        });
      } catch (error) {
        if (!(error instanceof BuildCommandError)) throw error;
        throw new ControlPlaneBuildError(
          `go build of the ${module.title} failed. Last output:\n${error.tail.join('\n')}\n` +
            `Check that Go is 1.26 or newer, that the Go module proxy is reachable and that ${cacheRoot()} has ` +
            `a few GB free, then run again.`,
        );
      }
      // etcd's main package is go.etcd.io/etcd/server/v3, so it arrives as "server".
      for (const { pkg, file } of targets)
        if (builtName(pkg) !== file) renameSync(path.join(staging, builtName(pkg)), path.join(staging, file));
    },
  );
  log(`${module.title} built in ${Math.round((Date.now() - started) / 1000)}s`);
}

function isComplete<K extends string>(target: Located<K>): boolean {
  return Object.values<string>(target.files).every((file) => existsSync(file));
}

async function ensureBuilt<K extends string>(
  module: GoModuleBuild<K>,
  log: (line: string) => void,
): Promise<Located<K>> {
  const target = locate(module);
  if (!isComplete(target)) await build(module, target, log);
  return target;
}

/** Returns the cached binaries, building them first when this machine has none yet. */
export async function ensureBinaries(
  log: (line: string) => void = console.error,
): Promise<ControlPlaneBinaries> {
  const { dir, kubernetesVersion, files } = await ensureBuilt(CONTROL_PLANE, log);
  return { dir, kubernetesVersion, ...files };
}

export interface KubectlBinary {
  path: string;
  kubernetesVersion: string;
}

/** The kubectl of the control plane's release, built into the cache first when this machine has none. */
export async function ensureKubectl(log: (line: string) => void = console.error): Promise<KubectlBinary> {
  const { kubernetesVersion, files } = await ensureBuilt(KUBECTL, log);
  return { path: files.kubectl, kubernetesVersion };
}

/** The go.mod of the control plane and of kubectl, for the test that keeps their releases in step. */
export const GO_MODULES = { controlPlane: CONTROL_PLANE.moduleDir, kubectl: KUBECTL.moduleDir };
