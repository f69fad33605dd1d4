/**
 * A policy's budget for one evaluation: its time (`timeoutMilliseconds`) and its work. Evaluation is
 * synchronous, so nothing can interrupt it from outside; instead every part of it is bounded and counted:
 *
 * - time is checked between steps (subjects, assertions, mutations) and, through the work meter, inside
 *   them: every few thousand units of JSONPath walking or regex matching;
 * - work is counted on one WorkMeter (pkg/jsonpath/work-meter.ts) shared by every path and pattern of
 *   the evaluation, with a limit that also bounds the memory a path may take (each node reached costs a
 *   unit), whatever the clock says (a path over a deeply nested object stops after POLICY_WORK steps);
 * - a single regex match, which nothing interrupts, may not cost more than MAX_MATCH_WORK (pattern.ts).
 *
 * So a policy overruns its budget by at most a few milliseconds, and then stops with a policy error that
 * its failurePolicy turns into a denial or a warning.
 */
import { performance } from 'node:perf_hooks';
import { WorkMeter, type WorkLimits } from '../../../pkg/jsonpath/work-meter.ts';

/** Per evaluation: tens of milliseconds of walking at most, and at most a few MiB of selected nodes. */
export const POLICY_WORK: WorkLimits = { steps: 200_000, results: 10_000 };

export class BudgetExceeded extends Error {
  constructor(readonly budgetMs: number) {
    super(`did not finish within its budget of ${budgetMs} ms`);
  }
}

export class Budget {
  private readonly deadline: number;
  /** The work of this evaluation: every JSONPath and pattern counts on it. */
  readonly meter: WorkMeter;

  /** `started` is now, when the caller has just read the clock. */
  constructor(
    readonly ms: number,
    started = performance.now(),
  ) {
    this.deadline = started + ms;
    this.meter = new WorkMeter(POLICY_WORK, () => this.check());
  }

  check(): void {
    if (performance.now() > this.deadline) throw new BudgetExceeded(this.ms);
  }
}
