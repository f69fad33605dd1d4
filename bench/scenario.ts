/** What a benchmark scenario gets and returns. Scenarios live in bench/scenarios/, one file each. */
import type { LocalControlPlane } from '../test/control-plane/local-control-plane.ts';

export interface BenchContext {
  controlPlane: LocalControlPlane;
  /** Progress lines for the person watching (stderr); results go in the returned object. */
  progress(line: string): void;
}

export interface Scenario {
  /** Key of the scenario's results in the JSON report. */
  name: string;
  description: string;
  run(context: BenchContext): Promise<Record<string, unknown>>;
}
