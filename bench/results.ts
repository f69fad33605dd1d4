/** The results file of one run: its shape, and where runs are kept (bench/results/). */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchSize, ScenarioResult } from './scenario.ts';
import type { LoadAverage, Machine } from './support/machine.ts';

export const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');

export interface ScenarioRun {
  durationS: number;
  /** The machine's load average around this scenario (the machine may be shared). */
  loadAverage: LoadAverage;
  result?: ScenarioResult;
  /** Why the scenario failed; the other scenarios' figures still count. */
  error?: string;
}

export interface BenchResults {
  schema: 1;
  startedAt: string;
  durationS: number;
  size: BenchSize;
  machine: Machine & { loadAverage: LoadAverage };
  kubernetes: string;
  /** By scenario name, in the order they ran. */
  scenarios: Record<string, ScenarioRun>;
}

/** Writes `<startedAt>.json` and `latest.json`; returns the former's path. */
export function saveResults(results: BenchResults): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const json = `${JSON.stringify(results, null, 2)}\n`;
  const file = path.join(
    RESULTS_DIR,
    `${results.startedAt.replaceAll(':', '-').replace(/\.\d+Z$/, 'Z')}.json`,
  );
  writeFileSync(file, json);
  writeFileSync(path.join(RESULTS_DIR, 'latest.json'), json);
  return file;
}

export function loadResults(file: string): BenchResults {
  const results = JSON.parse(readFileSync(file, 'utf8')) as BenchResults;
  if (results.schema !== 1) throw new Error(`${file}: not a results file of this harness (schema 1)`);
  return results;
}
