import { Counter, Histogram, type Registry } from 'prom-client';
import { LATENCY_BUCKETS } from '../pkg/metrics/registry.ts';

export type AdmissionOutcome = 'allowed' | 'denied' | 'error' | 'timeout';

/** Admission latency and outcomes, by webhook, kind and operation. */
export class AdmissionMetrics {
  private readonly duration: Histogram<'webhook' | 'kind' | 'operation' | 'outcome'>;
  private readonly rejections: Counter<'webhook' | 'kind'>;
  private readonly failures: Counter<'webhook' | 'reason'>;

  constructor(registry: Registry) {
    this.duration = new Histogram({
      name: 'prismgate_admission_duration_seconds',
      help: 'Time to answer an AdmissionReview, by webhook, kind, operation and outcome',
      labelNames: ['webhook', 'kind', 'operation', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
    this.rejections = new Counter({
      name: 'prismgate_admission_rejections_total',
      help: 'AdmissionReviews denied because the object breaks a rule',
      labelNames: ['webhook', 'kind'],
      registers: [registry],
    });
    this.failures = new Counter({
      name: 'prismgate_admission_failures_total',
      help: 'AdmissionReviews denied because prismgate could not evaluate them (failing closed), or malformed',
      labelNames: ['webhook', 'reason'],
      registers: [registry],
    });
  }

  observe(
    webhook: string,
    kind: string,
    operation: string,
    outcome: AdmissionOutcome,
    seconds: number,
  ): void {
    this.duration.observe({ webhook, kind, operation, outcome }, seconds);
    if (outcome === 'denied') this.rejections.inc({ webhook, kind });
    if (outcome === 'error' || outcome === 'timeout') this.failures.inc({ webhook, reason: outcome });
  }

  malformed(webhook: string): void {
    this.failures.inc({ webhook, reason: 'malformed' });
  }
}
