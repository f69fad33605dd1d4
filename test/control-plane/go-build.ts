/**
 * `go build -v` with progress: the control plane's binaries and the Vimana operator take minutes to build
 * the first time on a machine, so the build says every 15 seconds how far it got (`-v` names each package
 * as it is compiled), and a failure quotes the end of its output.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface GoBuild {
  /** Arguments after `go build -v`. */
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  /** How many packages there are to compile, when known, for "n of N". */
  total?: number;
}

/** Runs the build; answers its exit code and the last 40 lines of its output. */
export async function goBuild(build: GoBuild): Promise<{ code: number | null; tail: string[] }> {
  const started = Date.now();
  const child = spawn('go', ['build', '-v', ...build.args], {
    cwd: build.cwd,
    env: build.env,
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  let compiled = 0;
  let current = '';
  const tail: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    tail.push(line);
    if (tail.length > 40) tail.shift();
    if (/^[\w.\-/]+$/.test(line)) {
      compiled += 1;
      current = line;
    }
  });
  const ticker = setInterval(() => {
    const elapsed = Math.round((Date.now() - started) / 1000);
    const of = build.total ? ` of at most ${build.total}` : '';
    build.log(`  ${elapsed}s: compiled ${compiled}${of} packages (${current || 'downloading modules'})`);
  }, 15_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(ticker);
  return { code, tail };
}
