import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { PolicyMetrics } from './policy-metrics.ts';

describe('PolicyMetrics', () => {
  it('counts passes as they are scraped, adding up across scrapes, and the rest at once', async () => {
    const registry = new Registry();
    const metrics = new PolicyMetrics(registry);
    for (let i = 0; i < 3; i++) metrics.observe('p', 'Enforce', 'admission', 'pass', 0, 0.00002, false);
    metrics.observe('p', 'Enforce', 'admission', 'fail', 2, 0.00003, true);
    metrics.observe('p', 'Enforce', 'audit', 'pass', 0, 0.00002, false);
    const first = await registry.metrics();
    expect(first).toContain(
      'prismgate_policy_evaluations_total{policy="p",mode="admission",result="pass"} 3',
    );
    expect(first).toContain(
      'prismgate_policy_evaluations_total{policy="p",mode="admission",result="fail"} 1',
    );
    expect(first).toContain('prismgate_policy_evaluations_total{policy="p",mode="audit",result="pass"} 1');
    expect(first).toContain(
      'prismgate_policy_violations_total{policy="p",action="Enforce",mode="admission"} 2',
    );
    expect(first).toContain('prismgate_policy_denials_total{policy="p"} 1');
    expect(first).toContain(
      'prismgate_policy_evaluation_duration_seconds_count{policy="p",mode="admission"} 4',
    );
    expect(first).toContain(
      'prismgate_policy_evaluation_duration_seconds_bucket{le="0.000025",policy="p",mode="admission"} 3',
    );

    metrics.observe('p', 'Enforce', 'admission', 'pass', 0, 0.00002, false);
    const second = await registry.metrics();
    expect(second).toContain(
      'prismgate_policy_evaluations_total{policy="p",mode="admission",result="pass"} 4',
    );
    expect(second).toContain('prismgate_policy_evaluations_total{policy="p",mode="audit",result="pass"} 1');
  });
});
