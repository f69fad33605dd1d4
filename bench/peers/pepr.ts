/**
 * Pepr (npm `pepr`), the TypeScript peer: the module in pepr/module/ (the Vimana rules as a capability's
 * Validate actions), built with `pepr build` and run as its controller runs it.
 *
 * Pepr 1.1.4 is the version measured (the registry's `latest`; its `20.0.0` is a mislabelled build of
 * 0.18). Its in-cluster controller (`pepr/dist/controller.js`) applies the PeprStore CRD, then unpacks
 * the module bundle from /app/load, checks its hash and forks it with the Deployment's environment; the
 * bundle's PeprModule is the admission server (Express over HTTPS). Out of cluster the benchmark does the
 * same without /app: it applies Pepr's own Store CRD definition and forks the bundle with the environment
 * `pepr build` writes into the Deployment (PEPR_WATCH_MODE=false, LOG_LEVEL from the module's config), as
 * `pepr dev` also runs a module. Only the TLS files, the API path and the port are the benchmark's.
 *
 * The module is its own npm project with its own lockfile: pepr pins peer dependencies (node-forge,
 * typescript, prettier) that conflict with prismgate's, so it is installed (`npm ci`) into the cache, not
 * into prismgate's node_modules, and only by `npm run bench`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { KubeApiError } from '../../pkg/kube/kube-client.ts';
import * as patterns from '../../features/vimana/patterns.ts';
import { buildOnce, cacheRoot, runBuildCommand } from '../../test/control-plane/build-cache.ts';
import { applyManifest } from '../support/cluster.ts';
import type { Peer, PeerContext, RunningPeer } from './peer.ts';
import { freePort, PeerProcess, servingTls, untilDenies } from './peer-process.ts';

const MODULE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pepr', 'module');
const MODULE_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'pepr.ts', 'vimana.ts'];
const PEPR_NAMESPACE = 'pepr-system';
const SERVICE = 'pepr-bench';
const START_TIMEOUT_MS = 60_000;

const moduleConfig = () =>
  JSON.parse(readFileSync(path.join(MODULE_DIR, 'package.json'), 'utf8')) as {
    dependencies: { pepr: string };
    pepr: { uuid: string; logLevel: string };
  };

/** The patterns the capability checks with, from prismgate's own definitions (one home for each). */
function patternSources(): string {
  const { VERSION, SERVER_ID, DOMAIN_ID, GRPC_SERVICE, HOSTNAME, VIMANA_NAME, CANONICAL_SUFFIX } = patterns;
  const sources = { VERSION, SERVER_ID, DOMAIN_ID, GRPC_SERVICE, HOSTNAME, VIMANA_NAME };
  return `${JSON.stringify(
    {
      ...Object.fromEntries(Object.entries(sources).map(([name, regex]) => [name, regex.source])),
      CANONICAL_SUFFIX,
    },
    null,
    2,
  )}\n`;
}

/** The built module in the cache, keyed by the module's files and patterns. */
function moduleBuild(): { dir: string; bundle: string } {
  const hash = createHash('sha256');
  for (const file of MODULE_FILES) hash.update(readFileSync(path.join(MODULE_DIR, file)));
  hash.update(patternSources());
  const { dependencies, pepr } = moduleConfig();
  const dir = path.join(cacheRoot(), 'peers', `pepr-${dependencies.pepr}-${hash.digest('hex').slice(0, 12)}`);
  return { dir, bundle: path.join(dir, 'dist', `pepr-${pepr.uuid}.js`) };
}

async function build(log: (line: string) => void): Promise<void> {
  const { dir, bundle } = moduleBuild();
  await buildOnce(
    dir,
    () => existsSync(bundle),
    async (staging) => {
      log(`installing pepr ${moduleConfig().dependencies.pepr} and building the module into ${dir}`);
      for (const file of MODULE_FILES) copyFileSync(path.join(MODULE_DIR, file), path.join(staging, file));
      writeFileSync(path.join(staging, 'patterns.json'), patternSources());
      await runBuildCommand({
        command: 'npm',
        args: ['ci', '--no-audit', '--no-fund'],
        cwd: staging,
        log,
      });
      // `pepr build`, as a module's author runs it: tsc, then esbuild into dist/pepr-<uuid>.js.
      await runBuildCommand({
        command: process.execPath,
        args: [path.join(staging, 'node_modules', 'pepr', 'dist', 'cli.js'), 'build'],
        cwd: staging,
        log,
      });
      const built = path.join(staging, 'dist', path.basename(bundle));
      if (!existsSync(built)) throw new Error(`pepr build wrote no ${path.basename(bundle)}`);
    },
  );
}

/** Pepr's namespace and its Store CRD, from Pepr's own definition (what controller.js applies first). */
async function installStore({ client, kubeconfig }: PeerContext, dir: string): Promise<void> {
  await client
    .request('POST', '/api/v1/namespaces', { body: { metadata: { name: PEPR_NAMESPACE } } })
    .catch((error: unknown) => {
      if (!(error instanceof KubeApiError && error.code === 409)) throw error;
    });
  const storeModule = path.join(dir, 'node_modules', 'pepr', 'src', 'lib', 'assets', 'store.ts');
  const { peprStoreCRD } = (await import(pathToFileURL(storeModule).href)) as {
    peprStoreCRD: { metadata: { name: string } };
  };
  await applyManifest(kubeconfig, [peprStoreCRD]);
}

export const pepr: Peer = {
  name: 'pepr',
  version: moduleConfig().dependencies.pepr,
  prepare: build,
  async start(context) {
    const { dir, bundle } = moduleBuild();
    await installStore(context, dir);
    const service = { namespace: PEPR_NAMESPACE, name: SERVICE };
    const tls = servingTls('pepr', service);
    const files = mkdtempSync(path.join(tmpdir(), 'prismgate-pepr-tls-'));
    writeFileSync(path.join(files, 'tls.key'), tls.serving.keyPem);
    writeFileSync(path.join(files, 'tls.crt'), tls.serving.certPem);
    const apiPath = randomBytes(32).toString('hex');
    const port = await freePort();
    const process_ = PeerProcess.spawn('pepr', process.execPath, [bundle], {
      cwd: dir,
      env: {
        ...process.env,
        KUBECONFIG: context.kubeconfig,
        // What `pepr build` puts in the admission Deployment (src/lib/assets/environment.ts).
        PEPR_WATCH_MODE: 'false',
        PEPR_PRETTY_LOG: 'false',
        LOG_LEVEL: moduleConfig().pepr.logLevel,
        PEPR_API_PATH: apiPath,
        SSL_KEY_PATH: path.join(files, 'tls.key'),
        SSL_CERT_PATH: path.join(files, 'tls.crt'),
        PEPR_BENCH_PORT: String(port),
      },
    });
    const gate = {
      gate: 'pepr',
      form: `Pepr ${pepr.version}: a capability's Validate actions in TypeScript`,
      port,
      path: `/validate/${apiPath}`,
      caBundle: tls.ca.certPem,
      service,
    };
    const stop = async () => {
      await process_.stop();
      rmSync(files, { recursive: true, force: true });
    };
    try {
      await untilDenies(process_, gate, 'default', START_TIMEOUT_MS);
    } catch (error) {
      await stop();
      throw error;
    }
    return { pid: process_.pid, gates: [gate], stop } satisfies RunningPeer;
  },
};
