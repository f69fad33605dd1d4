/**
 * Per-policy metrics on the injected registry: evaluations (at admission and in the background audit),
 * denials, violations by action, errors, and evaluation latency as a histogram, with buckets from 10 µs
 * because a policy typically evaluates in microseconds (the admission histogram starts at 0.5 ms).
 *
 * Every review observes every policy that matches it, so this is on the admission path a hundred times
 * per review with a hundred policies: each policy's metric children are looked up once, and passes —
 * nearly every evaluation — are counted in a plain number and added to the evaluations counter when the
 * metrics are scraped (prom-client's `collect`), rather than through a labelled counter each time.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { PolicyResultKind } from './engine/evaluate.ts';
import type { Action } from './engine/policy.ts';

const POLICY_BUCKETS = [
  0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1,
];

export type EvaluationMode = 'admission' | 'audit';

/** One policy in one mode: its histogram child, and its passes since the last scrape. */
interface PolicyModeMetrics {
  readonly policy: string;
  readonly mode: EvaluationMode;
  readonly duration: { observe(value: number): void };
  passes: number;
}

export class PolicyMetrics {
  private readonly evaluations: Counter<'policy' | 'mode' | 'result'>;
  private readonly denials: Counter<'policy'>;
  private readonly violations: Counter<'policy' | 'action' | 'mode'>;
  private readonly duration: Histogram<'policy' | 'mode'>;
  private readonly loaded: Gauge<'state'>;
  private readonly byPolicy = new Map<string, Partial<Record<EvaluationMode, PolicyModeMetrics>>>();

  constructor(registry: Registry) {
    this.evaluations = new Counter({
      name: 'prismgate_policy_evaluations_total',
      help: 'Evaluations of a policy against an object, by policy, mode (admission, audit) and result',
      labelNames: ['policy', 'mode', 'result'],
      registers: [registry],
      collect: () => this.addPasses(),
    });
    this.denials = new Counter({
      name: 'prismgate_policy_denials_total',
      help: 'Admission requests an Enforce policy denied',
      labelNames: ['policy'],
      registers: [registry],
    });
    this.violations = new Counter({
      name: 'prismgate_policy_violations_total',
      help: 'Violations found, by policy, its action and mode',
      labelNames: ['policy', 'action', 'mode'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'prismgate_policy_evaluation_duration_seconds',
      help: 'Time to evaluate one policy against one object',
      labelNames: ['policy', 'mode'],
      buckets: POLICY_BUCKETS,
      registers: [registry],
    });
    this.loaded = new Gauge({
      name: 'prismgate_policies',
      help: 'Policies known, by state (ready, invalid)',
      labelNames: ['state'],
      registers: [registry],
    });
  }

  observe(
    policy: string,
    action: Action,
    mode: EvaluationMode,
    result: PolicyResultKind,
    violations: number,
    seconds: number,
    denied: boolean,
  ): void {
    const metrics = this.of(policy, mode);
    metrics.duration.observe(seconds);
    if (result === 'pass') metrics.passes += 1;
    else this.evaluations.inc({ policy, mode, result });
    if (violations > 0) this.violations.inc({ policy, action, mode }, violations);
    if (denied) this.denials.inc({ policy });
  }

  private of(policy: string, mode: EvaluationMode): PolicyModeMetrics {
    let modes = this.byPolicy.get(policy);
    if (!modes) this.byPolicy.set(policy, (modes = {}));
    return (modes[mode] ??= {
      policy,
      mode,
      duration: this.duration.labels({ policy, mode }),
      passes: 0,
    });
  }

  private addPasses(): void {
    for (const modes of this.byPolicy.values())
      for (const metrics of Object.values(modes)) {
        if (metrics.passes === 0) continue;
        this.evaluations.inc({ policy: metrics.policy, mode: metrics.mode, result: 'pass' }, metrics.passes);
        metrics.passes = 0;
      }
  }

  policies(ready: number, invalid: number): void {
    this.loaded.set({ state: 'ready' }, ready);
    this.loaded.set({ state: 'invalid' }, invalid);
  }
}
