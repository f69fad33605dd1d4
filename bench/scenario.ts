/** What a benchmark scenario gets and returns. Scenarios live in bench/scenarios/, one file each. */
import type { LocalControlPlane } from '../test/control-plane/local-control-plane.ts';

/**
 * `full` is the benchmark the report is for; `quick` runs every step at small sizes, to check the
 * harness on a busy machine in a few minutes (its figures are not the report's).
 */
export type BenchSize = 'full' | 'quick';

export interface BenchContext {
  controlPlane: LocalControlPlane;
  size: BenchSize;
  /** Picks the value for this run's size. */
  sized<T>(values: Record<BenchSize, T>): T;
  /** Progress lines for the person watching (stderr); results go in the returned object. */
  progress(line: string): void;
  /** When set, prismgate processes write V8 CPU profiles here (`npm run bench -- --profile`). */
  profileDir?: string;
}

/** A target of the issues, checked against this run's figure. */
export interface TargetCheck {
  /** What is measured, e.g. "webhook p99 at 32 connections". */
  figure: string;
  /** e.g. "< 5 ms". */
  target: string;
  /** This run's figure, with its unit. */
  measured: string;
  met: boolean;
  /** Why it was missed, or what bounds the figure, when there is more to say than the numbers. */
  note?: string;
}

/** How one figure grows with size: the report states it as "p99 grows 1.3x from 1k to 10k objects". */
export interface Growth {
  figure: string;
  unit: string;
  points: { size: string; value: number }[];
  statement: string;
}

export interface ScenarioResult {
  targets?: TargetCheck[];
  growth?: Growth[];
  [figure: string]: unknown;
}

export interface Scenario {
  /** Key of the scenario's results in the JSON report, and its name on the command line. */
  name: string;
  description: string;
  run(context: BenchContext): Promise<ScenarioResult>;
}
