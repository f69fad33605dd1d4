/**
 * `npm run bench [scenario ...]`: runs the benchmark scenarios against a fresh local control plane and
 * prints one JSON document (also written to bench/results/latest.json). Every ratio is against a
 * baseline measured in the same run, on the same machine.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureBinaries } from '../test/control-plane/binaries.ts';
import { LocalControlPlane } from '../test/control-plane/local-control-plane.ts';
import type { Scenario } from './scenario.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

async function loadScenarios(): Promise<Scenario[]> {
  const dir = path.join(here, 'scenarios');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .sort();
  const modules = await Promise.all(files.map((f) => import(pathToFileURL(path.join(dir, f)).href)));
  return modules.map((m) => (m as { scenario: Scenario }).scenario);
}

const wanted = process.argv.slice(2);
const scenarios = (await loadScenarios()).filter((s) => wanted.length === 0 || wanted.includes(s.name));
const progress = (line: string) => console.error(`[bench] ${line}`);
const dir = mkdtempSync(path.join(tmpdir(), 'prismgate-bench-'));
const binaries = await ensureBinaries(progress);
const controlPlane = await LocalControlPlane.start({ dir, binaries, log: progress });
const report: Record<string, unknown> = {
  startedAt: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  },
  kubernetes: binaries.kubernetesVersion,
};
try {
  for (const scenario of scenarios) {
    progress(`${scenario.name}: ${scenario.description}`);
    const started = Date.now();
    report[scenario.name] = await scenario.run({
      controlPlane,
      progress: (line) => progress(`  ${scenario.name}: ${line}`),
    });
    progress(`${scenario.name}: done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  }
} finally {
  await controlPlane.stop();
  rmSync(dir, { recursive: true, force: true });
}
const json = JSON.stringify(report, null, 2);
mkdirSync(path.join(here, 'results'), { recursive: true });
writeFileSync(path.join(here, 'results', 'latest.json'), `${json}\n`);
console.log(json);
