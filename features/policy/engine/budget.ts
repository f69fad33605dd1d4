/**
 * A policy's time budget. Evaluation is synchronous, so the budget is checked between steps (subjects,
 * assertions, mutations); every single step is bounded (RE2 is linear, objects are at most a few MiB), so
 * a policy overruns its budget by at most one step and then stops with a policy error.
 */
import { performance } from 'node:perf_hooks';

export class BudgetExceeded extends Error {
  constructor(readonly budgetMs: number) {
    super(`did not finish within its budget of ${budgetMs} ms`);
  }
}

export class Budget {
  private readonly deadline: number;

  /** `started` is now, when the caller has just read the clock. */
  constructor(
    readonly ms: number,
    started = performance.now(),
  ) {
    this.deadline = started + ms;
  }

  check(): void {
    if (performance.now() > this.deadline) throw new BudgetExceeded(this.ms);
  }
}
