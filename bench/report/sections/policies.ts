/** The report's section for the `policies` scenario. */
import type { PoliciesResult } from '../../scenarios/policies.ts';
import { formatMs } from '../../support/format.ts';
import { distributionChart, groupedBarChart } from '../charts.ts';
import { table } from '../markdown.ts';
import type { Section } from '../section.ts';

export const policiesSection: Section = {
  title: 'Policy engine: 0, 10 and 100 matching policies',
  method:
    'A ConfigMap CREATE review POSTed to `/validate/policies` over one keep-alive HTTPS connection (so each figure is one review\'s latency), with 0, 10 and 100 ClusterAdmissionPolicies installed that all match it and all pass (a presence check, an RE2 pattern and a length limit on labels, a forEach over the data keys, a small JSON Schema). The engine alone is also timed in the benchmark\'s process (match + validate, no HTTP). "Added" is the difference to 0 policies.',
  async render(result, { chart }) {
    const { steps } = result as PoliciesResult;
    return [
      table(
        [
          'policies',
          'webhook p50',
          'webhook p99',
          'added p99',
          'prismgate CPU per review',
          'engine p50',
          'engine p99',
          'engine CPU per review',
        ],
        steps.map((s) => [
          String(s.policies),
          formatMs(s.webhook.latency.p50Ms),
          formatMs(s.webhook.latency.p99Ms),
          formatMs(s.webhookAddedP99Ms),
          `${s.webhook.cpuMicrosPerRequest} µs`,
          formatMs(s.engine.latency.p50Ms),
          formatMs(s.engine.latency.p99Ms),
          `${s.engine.cpuMicrosPerReview} µs`,
        ]),
      ),
      await chart(
        'policies-latency',
        distributionChart(
          'Webhook latency by installed policies',
          steps.map((s) => ({ name: `${s.policies} policies`, latency: s.webhook.latency })),
        ),
      ),
      await chart(
        'policies-cpu',
        groupedBarChart(
          'CPU per review',
          steps.flatMap((s) => [
            {
              x: `${s.policies} policies`,
              series: 'prismgate (webhook)',
              value: s.webhook.cpuMicrosPerRequest,
            },
            { x: `${s.policies} policies`, series: 'engine alone', value: s.engine.cpuMicrosPerReview },
          ]),
          { x: 'installed policies', y: 'µs' },
        ),
      ),
    ].join('\n\n');
  },
};
