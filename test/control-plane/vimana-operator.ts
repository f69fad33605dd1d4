/**
 * The real Vimana operator as a test component, beside the control plane: built from the published source
 * in the shared folder (`shared/upstream/vimana`, never copied into this repository) into the cache folder,
 * together with the CRDs it needs, and run out of cluster against the local control plane.
 *
 * Like the control plane's binaries (binaries.ts), the build is cached under a hash of its inputs: the
 * upstream go.mod, go.sum, Go sources and CRDs, and the one change the build makes to go.mod. The Go module
 * proxy serves github.com/envoyproxy/gateway v1.5.0 but not the v1.5.4 the operator asks for; the operator
 * compiles unchanged against v1.5.0 (UPSTREAM.md), so the build replaces that one module in a copy.
 *
 * What the cache folder holds: `manager` (the operator), `crds/vimana/` (the operator's own CRDs, as every
 * Vimana user installs them), `crds/gateway-api/` (the Gateway API standard CRDs of the operator's
 * gateway-api module) and `crds/envoy/` (the EnvoyProxy CRD of Envoy Gateway v1.5.0), the last two read
 * from the Go module cache after the build downloaded them.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BuildCommandError, buildOnce, cacheRoot, goBuild } from './build-cache.ts';
import { ManagedProcess } from './managed-process.ts';

const moduleDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(moduleDir, '..', '..');

/** The module version the proxy serves in place of the one go.mod asks for (UPSTREAM.md). */
const ENVOY_GATEWAY_REPLACEMENT = 'github.com/envoyproxy/gateway=github.com/envoyproxy/gateway@v1.5.0';
const GATEWAY_API_MODULE = 'sigs.k8s.io/gateway-api';
const ENVOY_GATEWAY_MODULE = 'github.com/envoyproxy/gateway';

export class VimanaOperatorBuildError extends Error {}

export interface VimanaOperatorBuild {
  dir: string;
  manager: string;
  /** The operator's own CRDs (`operator/config/crd/bases/`). */
  vimanaCrds: string;
  /** Gateway API standard CRDs, as the operator's go.mod pins them. */
  gatewayApiCrds: string;
  /** The EnvoyProxy CRD the operator writes `envoy-gateway-system/envoy-gateway-config` of. */
  envoyProxyCrd: string;
  /** The operator's ClusterRole (`operator/config/rbac/role.yaml`), unchanged. */
  rbacRole: string;
}

/**
 * Where the published source is: `PRISMGATE_VIMANA_UPSTREAM`, else `shared/upstream/vimana` in the nearest
 * folder above the repository that has one (`../shared/upstream/vimana` for a checkout beside the shared
 * folder, further up for a worktree nested one level deeper).
 */
export function upstreamDir(): string {
  const fromEnv = process.env.PRISMGATE_VIMANA_UPSTREAM;
  if (fromEnv) return fromEnv;
  for (let dir = path.dirname(repoRoot); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared', 'upstream', 'vimana');
    if (existsSync(path.join(candidate, 'go.mod'))) return candidate;
    if (path.dirname(dir) === dir) break;
  }
  throw new VimanaOperatorBuildError(
    `the Vimana operator's source was not found in shared/upstream/vimana above ${repoRoot}; ` +
      'set PRISMGATE_VIMANA_UPSTREAM to the folder that holds its go.mod and operator/',
  );
}

/** Every file below `dir` whose name ends in one of `suffixes`, sorted (so the hash is stable). */
function filesBelow(dir: string, suffixes: readonly string[]): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...filesBelow(file, suffixes));
    else if (suffixes.some((suffix) => entry.name.endsWith(suffix))) found.push(file);
  }
  return found.sort();
}

/** The inputs of a build: what the operator is compiled from, and how. */
function inputsHash(source: string): string {
  const hash = createHash('sha256').update(ENVOY_GATEWAY_REPLACEMENT);
  const inputs = [
    path.join(source, 'go.mod'),
    path.join(source, 'go.sum'),
    ...filesBelow(path.join(source, 'operator'), ['.go', '.yaml']),
  ];
  for (const file of inputs) hash.update(path.relative(source, file)).update(readFileSync(file));
  return hash.digest('hex').slice(0, 12);
}

/** The paths of a build rooted at `dir` (the staging folder while building). */
function locateIn(dir: string): VimanaOperatorBuild {
  return {
    dir,
    manager: path.join(dir, 'manager'),
    vimanaCrds: path.join(dir, 'crds', 'vimana'),
    gatewayApiCrds: path.join(dir, 'crds', 'gateway-api'),
    envoyProxyCrd: path.join(dir, 'crds', 'envoy', 'gateway.envoyproxy.io_envoyproxies.yaml'),
    rbacRole: path.join(dir, 'rbac', 'role.yaml'),
  };
}

/** The shared folder is read-only, and a copy keeps every file's mode: the build's copy must be writable. */
function makeWritable(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true }))
    chmodSync(path.join(entry.parentPath, entry.name), entry.isDirectory() ? 0o755 : 0o644);
}

function go(args: string[], cwd: string, what: string): string {
  const result = spawnSync('go', args, {
    cwd,
    env: { ...process.env, CGO_ENABLED: '0' },
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (result.error)
    throw new VimanaOperatorBuildError(
      'Go was not found on PATH; the Vimana operator is built from source for the end-to-end tests',
    );
  if (result.status !== 0)
    throw new VimanaOperatorBuildError(`${what} failed (exit ${result.status}):\n${result.stderr}`);
  return result.stdout;
}

/** The folder of a module in the Go module cache, as the build's go.mod resolves it. */
function moduleFolder(src: string, module: string): string {
  const info = JSON.parse(go(['list', '-mod=mod', '-m', '-json', module], src, `go list -m ${module}`)) as {
    Dir?: string;
    Replace?: { Dir?: string };
  };
  const dir = info.Replace?.Dir ?? info.Dir;
  if (!dir) throw new VimanaOperatorBuildError(`go list -m ${module} named no folder in the module cache`);
  return dir;
}

function copyYamlFiles(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from).filter((file) => file.endsWith('.yaml')))
    copyFileSync(path.join(from, name), path.join(to, name));
}

async function build(
  source: string,
  target: VimanaOperatorBuild,
  log: (line: string) => void,
): Promise<void> {
  log(
    `building the Vimana operator from ${source} (first run on this machine only: about 2-3 minutes on ` +
      '2 cores, downloads included; progress every 15 s)',
  );
  const started = Date.now();
  await buildOnce(
    target.dir,
    () => existsSync(target.manager),
    async (staging) => {
      const src = path.join(staging, 'src');
      cpSync(source, src, { recursive: true });
      makeWritable(src);
      go(['mod', 'edit', `-replace=${ENVOY_GATEWAY_REPLACEMENT}`], src, 'go mod edit');
      const staged = locateIn(staging);
      try {
        await goBuild({
          args: ['-mod=mod', '-trimpath', '-o', staged.manager, './operator/cmd'],
          cwd: src,
          env: { ...process.env, CGO_ENABLED: '0' },
          log,
        });
      } catch (error) {
        if (!(error instanceof BuildCommandError)) throw error;
        throw new VimanaOperatorBuildError(
          `go build of the Vimana operator failed. Last output:\n${error.tail.join('\n')}\n` +
            'Check that the Go module proxy is reachable, then run again.',
        );
      }
      copyYamlFiles(path.join(src, 'operator', 'config', 'crd', 'bases'), staged.vimanaCrds);
      copyYamlFiles(
        path.join(moduleFolder(src, GATEWAY_API_MODULE), 'config', 'crd', 'standard'),
        staged.gatewayApiCrds,
      );
      const envoyCrds = path.join(
        moduleFolder(src, ENVOY_GATEWAY_MODULE),
        'charts',
        'gateway-helm',
        'crds',
        'generated',
      );
      mkdirSync(path.dirname(staged.envoyProxyCrd), { recursive: true });
      copyFileSync(path.join(envoyCrds, path.basename(staged.envoyProxyCrd)), staged.envoyProxyCrd);
      mkdirSync(path.dirname(staged.rbacRole), { recursive: true });
      copyFileSync(path.join(src, 'operator', 'config', 'rbac', 'role.yaml'), staged.rbacRole);
      rmSync(src, { recursive: true, force: true });
    },
  );
  log(`Vimana operator built in ${Math.round((Date.now() - started) / 1000)}s into ${target.dir}`);
}

/** The cached build, building it first when this machine has none for these inputs. */
export async function ensureVimanaOperator(
  log: (line: string) => void = console.error,
): Promise<VimanaOperatorBuild> {
  const source = upstreamDir();
  const target = locateIn(path.join(cacheRoot(), 'vimana-operator', inputsHash(source)));
  if (!existsSync(target.manager)) await build(source, target, log);
  return target;
}

export interface OperatorProcessOptions {
  build: VimanaOperatorBuild;
  /** The kubeconfig the operator acts with (its own identity, see the e2e support). */
  kubeconfig: string;
  /** Where its log goes. */
  logFile: string;
  /** Port of its plain-HTTP metrics endpoint on 127.0.0.1. */
  metricsPort: number;
}

/**
 * The operator running out of cluster, as UPSTREAM.md describes: no leader election, no health probes,
 * metrics over plain HTTP on loopback; stopped with its owner (supervise.sh) however the owner ends.
 */
export function startVimanaOperator(options: OperatorProcessOptions): ManagedProcess {
  writeFileSync(options.logFile, '');
  return new ManagedProcess(
    'vimana-operator',
    options.build.manager,
    [
      `--kubeconfig=${options.kubeconfig}`,
      '--leader-elect=false',
      '--health-probe-bind-address=0',
      `--metrics-bind-address=127.0.0.1:${options.metricsPort}`,
      '--metrics-secure=false',
    ],
    options.logFile,
  );
}
