/**
 * Per-policy metrics on the injected registry: evaluations (at admission and in the background audit),
 * denials, violations by action, errors, and evaluation latency as a histogram, with buckets from 10 µs
 * because a policy typically evaluates in microseconds (the admission histogram starts at 0.5 ms).
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { PolicyResultKind } from '../../pkg/policy/evaluate.ts';
import type { Action } from '../../pkg/policy/policy.ts';

const POLICY_BUCKETS = [
  0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1,
];

export type EvaluationMode = 'admission' | 'audit';

export class PolicyMetrics {
  private readonly evaluations: Counter<'policy' | 'mode' | 'result'>;
  private readonly denials: Counter<'policy'>;
  private readonly violations: Counter<'policy' | 'action' | 'mode'>;
  private readonly duration: Histogram<'policy' | 'mode'>;
  private readonly loaded: Gauge<'state'>;
  private readonly evaluationChildren = new Map<string, { inc(): void }>();
  private readonly durationChildren = new Map<string, { observe(value: number): void }>();

  constructor(registry: Registry) {
    this.evaluations = new Counter({
      name: 'prismgate_policy_evaluations_total',
      help: 'Evaluations of a policy against an object, by policy, mode (admission, audit) and result',
      labelNames: ['policy', 'mode', 'result'],
      registers: [registry],
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
    const key = `${policy}\u0000${mode}`;
    this.child(this.durationChildren, key, () => this.duration.labels({ policy, mode })).observe(seconds);
    this.child(this.evaluationChildren, `${key}\u0000${result}`, () =>
      this.evaluations.labels({ policy, mode, result }),
    ).inc();
    if (violations > 0) this.violations.inc({ policy, action, mode }, violations);
    if (denied) this.denials.inc({ policy });
  }

  /**
   * The metric child of a label set, looked up once: every review observes every matching policy, and
   * prom-client would hash the label object on each call.
   */
  private child<T>(children: Map<string, T>, key: string, make: () => T): T {
    let child = children.get(key);
    if (!child) children.set(key, (child = make()));
    return child;
  }

  policies(ready: number, invalid: number): void {
    this.loaded.set({ state: 'ready' }, ready);
    this.loaded.set({ state: 'invalid' }, invalid);
  }
}
