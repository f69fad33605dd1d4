/**
 * Things built once per machine into a cache folder outside git (~/.cache/prismgate, or
 * $PRISMGATE_CACHE_DIR): the control plane's binaries, and the benchmark's peers. A build goes into a
 * private staging folder that is renamed into place when complete, so an interrupted or concurrent build
 * never leaves a half-written entry behind; the entry's folder name carries what it was built from (a
 * version and a hash of the recipe), so a change of either builds anew beside the old entry.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

export function cacheRoot(): string {
  if (process.env.PRISMGATE_CACHE_DIR) return process.env.PRISMGATE_CACHE_DIR;
  return path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'prismgate');
}

/**
 * Makes `dir` exist with what `build` writes into the staging folder it is given, unless `complete(dir)`
 * already holds. Another process finishing the same build first is as good as this one.
 */
export async function buildOnce(
  dir: string,
  complete: (dir: string) => boolean,
  build: (staging: string) => Promise<void>,
): Promise<void> {
  if (complete(dir)) return;
  mkdirSync(path.dirname(dir), { recursive: true });
  const staging = mkdtempSync(`${dir}.building-`);
  try {
    await build(staging);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  if (existsSync(dir) && !complete(dir)) rmSync(dir, { recursive: true, force: true });
  try {
    renameSync(staging, dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!complete(dir)) throw error;
  }
}

export class BuildCommandError extends Error {
  constructor(
    message: string,
    /** The command's last lines of output, for the person reading why. */
    readonly tail: string[],
  ) {
    super(message);
  }
}

export interface BuildCommand {
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Every line the command writes (stdout and stderr), e.g. to count compiled packages. */
  onLine?: (line: string) => void;
  /** Said every 15 s while the command runs, e.g. "compiled 812 of 2,400 packages". */
  progress?: (elapsedS: number) => string;
  log: (line: string) => void;
}

/** Runs a long build command, showing progress every 15 s; fails with its last 40 lines of output. */
export async function runBuildCommand(run: BuildCommand): Promise<void> {
  const started = Date.now();
  const child = spawn(run.command, run.args, {
    cwd: run.cwd,
    env: run.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  const read = (line: string) => {
    tail.push(line);
    if (tail.length > 40) tail.shift();
    run.onLine?.(line);
  };
  createInterface({ input: child.stdout }).on('line', read);
  createInterface({ input: child.stderr }).on('line', read);
  const ticker = setInterval(() => {
    const elapsed = Math.round((Date.now() - started) / 1000);
    run.log(`  ${elapsed}s: ${run.progress?.(elapsed) ?? `${run.command} ${run.args[0] ?? ''} running`}`);
  }, 15_000);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  }).finally(() => clearInterval(ticker));
  if (code !== 0) {
    throw new BuildCommandError(
      `${run.command} ${run.args.join(' ')} failed (exit ${code}) in ${run.cwd}. Last output:\n${tail.join('\n')}`,
      tail,
    );
  }
}

export interface GoBuild {
  /** Arguments after `go build -v`. */
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  /** How many packages there are to compile, when known, for "n of N". */
  total?: number;
}

/**
 * `go build -v`, saying every 15 s how far it got: `-v` names each package as it is compiled, so the
 * control plane's and the Vimana operator's first builds (minutes on two cores) show their progress.
 */
export async function goBuild(build: GoBuild): Promise<void> {
  let compiled = 0;
  let current = '';
  await runBuildCommand({
    command: 'go',
    args: ['build', '-v', ...build.args],
    cwd: build.cwd,
    env: build.env,
    log: build.log,
    onLine: (line) => {
      if (!/^[\w.\-/]+$/.test(line)) return;
      compiled += 1;
      current = line;
    },
    progress: () => {
      const of = build.total ? ` of at most ${build.total}` : '';
      return `compiled ${compiled}${of} packages (${current || 'downloading modules'})`;
    },
  });
}
