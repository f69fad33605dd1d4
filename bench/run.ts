/**
 * `npm run bench [-- --quick] [-- --profile] [scenario ...]`: runs the benchmark scenarios (all, or the
 * named ones) against one fresh local control plane, shows progress on stderr, writes the results to
 * bench/results/<time>.json and bench/results/latest.json, prints them on stdout, and generates
 * bench/REPORT.md with its charts. Every ratio is against a baseline measured in the same run.
 *
 *   --quick    every step at small sizes: checks the harness in minutes (not figures for the report)
 *   --profile  prismgate processes write V8 CPU profiles to bench/results/profiles/
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureBinaries } from '../test/control-plane/binaries.ts';
import { LocalControlPlane } from '../test/control-plane/local-control-plane.ts';
import { writeReport } from './report/write-report.ts';
import { saveResults, type BenchResults, type ScenarioRun } from './results.ts';
import type { BenchSize, Scenario } from './scenario.ts';
import { describeMachine, recordLoad } from './support/machine.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Cheap and sensitive first; the prism scenario last, because the tens of thousands of objects it
 * creates stay in etcd and kube-apiserver's watch cache (and it installs kAppNav's namespace, which
 * kappnav-status creates itself). Scenarios not listed run after these, whatever the command line's order.
 */
const ORDER = ['webhook', 'policies', 'admission', 'kappnav-status', 'prism'];

async function loadScenarios(): Promise<Scenario[]> {
  const dir = path.join(here, 'scenarios');
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
  const modules = await Promise.all(files.map((f) => import(pathToFileURL(path.join(dir, f)).href)));
  const rank = (s: Scenario) => (ORDER.includes(s.name) ? ORDER.indexOf(s.name) : ORDER.length);
  return modules
    .map((m) => (m as { scenario: Scenario }).scenario)
    .sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

const FLAGS = ['--quick', '--profile'];
const args = process.argv.slice(2);
const badFlags = args.filter((arg) => arg.startsWith('--') && !FLAGS.includes(arg));
if (badFlags.length > 0) {
  console.error(`unknown option(s): ${badFlags.join(', ')}; known: ${FLAGS.join(', ')}`);
  process.exit(2);
}
const size: BenchSize = args.includes('--quick') ? 'quick' : 'full';
const profileDir = args.includes('--profile') ? path.join(here, 'results', 'profiles') : undefined;
const wanted = args.filter((arg) => !arg.startsWith('--'));
const available = await loadScenarios();
const unknown = wanted.filter((name) => !available.some((s) => s.name === name));
if (unknown.length > 0) {
  console.error(
    `unknown scenario(s): ${unknown.join(', ')}; known: ${available.map((s) => s.name).join(', ')}`,
  );
  process.exit(2);
}
const scenarios = available.filter((s) => wanted.length === 0 || wanted.includes(s.name));
const progress = (line: string) => console.error(`[bench] ${line}`);
if (profileDir) mkdirSync(profileDir, { recursive: true });

const started = new Date();
const machineLoad = recordLoad();
const dir = mkdtempSync(path.join(tmpdir(), 'prismgate-bench-'));
const binaries = await ensureBinaries(progress);
const controlPlane = await LocalControlPlane.start({ dir, binaries, log: progress });
const runs: Record<string, ScenarioRun> = {};
try {
  for (const scenario of scenarios) {
    progress(`${scenario.name}: ${scenario.description}`);
    const scenarioStarted = performance.now();
    const load = recordLoad();
    try {
      const result = await scenario.run({
        controlPlane,
        size,
        sized: (values) => values[size],
        progress: (line) => progress(`  ${scenario.name}: ${line}`),
        ...(profileDir ? { profileDir } : {}),
      });
      runs[scenario.name] = { durationS: seconds(scenarioStarted), loadAverage: load(), result };
    } catch (error) {
      // One failed scenario should not cost the figures of the others.
      progress(
        `${scenario.name} FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      runs[scenario.name] = {
        durationS: seconds(scenarioStarted),
        loadAverage: load(),
        error: String(error),
      };
    }
    progress(`${scenario.name}: done in ${runs[scenario.name]!.durationS} s`);
  }
} finally {
  await controlPlane.stop();
  rmSync(dir, { recursive: true, force: true });
}

const results: BenchResults = {
  schema: 1,
  startedAt: started.toISOString(),
  durationS: Math.round((Date.now() - started.getTime()) / 1000),
  size,
  machine: { ...describeMachine(), loadAverage: machineLoad() },
  kubernetes: binaries.kubernetesVersion,
  scenarios: runs,
};
const file = saveResults(results);
progress(`results: ${path.relative(process.cwd(), file)}`);
const report = await writeReport(results, path.relative(here, file));
progress(`report: ${path.relative(process.cwd(), report)}`);
console.log(JSON.stringify(results, null, 2));
if (Object.values(runs).some((run) => run.error !== undefined)) process.exitCode = 1;

function seconds(since: number): number {
  return Math.round((performance.now() - since) / 100) / 10;
}
