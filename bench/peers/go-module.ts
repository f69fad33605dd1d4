/**
 * A peer's binary built from its Go module, as its own Makefile builds it, cached like the control plane
 * (test/control-plane/build-cache.ts) under <cache>/peers/<name>-<version>-<recipe hash>/.
 *
 * `go install module@version` refuses modules whose go.mod has replace directives (Kyverno's has), so the
 * module's source is fetched through the Go module proxy (`go mod download -json`), copied somewhere
 * writable and built there with its own go.mod and go.sum: the dependency versions its maintainers ship
 * (docs/spec/peers-build.md).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildOnce, cacheRoot, runBuildCommand } from '../../test/control-plane/build-cache.ts';

export interface GoModuleBuild {
  /** The cache entry's name, e.g. `kyverno`. */
  name: string;
  module: string;
  version: string;
  /** The main package, relative to the module root: `./cmd/kyverno`, `.`. */
  mainPackage: string;
  /** Linker flags besides `-s -w`, e.g. the version stamp. */
  ldflags?: string[];
}

export interface GoModuleBinary {
  binary: string;
  /** The module's source (read-only, in the Go module cache): CRDs and manifests come from here. */
  sourceDir: string;
}

const exec = promisify(execFile);

/** The module's source folder, downloaded through the Go module proxy if this machine has not got it. */
async function moduleSource(module: string, version: string): Promise<string> {
  const { stdout } = await exec('go', ['mod', 'download', '-json', `${module}@${version}`], {
    maxBuffer: 16 * 2 ** 20,
  }).catch((error: Error & { stdout?: string }) => {
    // `go mod download -json` reports its error in the JSON on stdout.
    throw new Error(`go mod download ${module}@${version} failed: ${error.stdout?.trim() || error.message}`);
  });
  const { Dir, Error: failure } = JSON.parse(stdout) as { Dir?: string; Error?: string };
  if (failure || !Dir) throw new Error(`go mod download ${module}@${version}: ${failure ?? 'no Dir'}`);
  return Dir;
}

export async function goModuleBinary(
  build: GoModuleBuild,
  log: (line: string) => void,
): Promise<GoModuleBinary> {
  const sourceDir = await moduleSource(build.module, build.version);
  const recipe = createHash('sha256').update(JSON.stringify(build)).digest('hex').slice(0, 12);
  const dir = path.join(cacheRoot(), 'peers', `${build.name}-${build.version}-${recipe}`);
  const binary = path.join(dir, build.name);
  await buildOnce(
    dir,
    () => existsSync(binary),
    async (staging) => {
      log(
        `building ${build.module}@${build.version} (${build.mainPackage}) into ${dir}: first run on this machine only, several minutes on 2 cores`,
      );
      const started = Date.now();
      const source = mkdtempSync(path.join(tmpdir(), `prismgate-${build.name}-src-`));
      try {
        // The module cache is read-only; the build writes nothing into the copy but Go wants it writable.
        cpSync(sourceDir, source, { recursive: true, mode: 0 });
        await exec('chmod', ['-R', 'u+w', source]);
        let compiled = 0;
        await runBuildCommand({
          command: 'go',
          args: [
            'build',
            '-v',
            '-trimpath',
            '-ldflags',
            ['-s', '-w', ...(build.ldflags ?? [])].join(' '),
            '-o',
            path.join(staging, build.name),
            build.mainPackage,
          ],
          cwd: source,
          env: { ...process.env, CGO_ENABLED: '0' },
          log,
          onLine: (line) => {
            if (/^[\w.\-/]+$/.test(line)) compiled += 1;
          },
          progress: () => `${build.name}: compiled ${compiled} packages`,
        });
      } finally {
        rmSync(source, { recursive: true, force: true });
      }
      log(`${build.name} built in ${Math.round((Date.now() - started) / 1000)} s`);
    },
  );
  return { binary, sourceDir };
}
