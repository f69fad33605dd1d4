/** The report's section for the `admission` scenario (end to end through kube-apiserver). */
import { OPERATIONS, VARIANTS, type AdmissionResult, type EndToEndStep } from '../../scenarios/admission.ts';
import { formatMs, formatRatio } from '../../support/format.ts';
import { ratio } from '../../support/latency-summary.ts';
import { distributionChart, groupedBarChart } from '../charts.ts';
import { cores, mib, table } from '../markdown.ts';
import type { Section } from '../section.ts';

const clients = (step: EndToEndStep) => (step.clients === 1 ? '1 client' : `${step.clients} clients`);

function latencyTable(step: EndToEndStep): string {
  return table(
    ['operation', 'gate', 'n', 'p50', 'p99', 'mean', 'p50 / none', 'p99 / none'],
    OPERATIONS.flatMap((op) =>
      VARIANTS.map((variant) => {
        const own = step.latency[op][variant];
        const none = step.latency[op].none;
        return [
          op,
          variant,
          String(own.count),
          formatMs(own.p50Ms),
          formatMs(own.p99Ms),
          formatMs(own.meanMs),
          formatRatio(ratio(own.p50Ms, none.p50Ms)),
          formatRatio(ratio(own.p99Ms, none.p99Ms)),
        ];
      }),
    ),
  );
}

function apiServerTable(step: EndToEndStep): string {
  return table(
    ["admission call (kube-apiserver's measure)", 'calls', 'mean per call'],
    Object.entries(step.apiServerCalls).map(([caller, { calls, meanMs }]) => [
      caller,
      String(calls),
      formatMs(meanMs),
    ]),
  );
}

function processTable(step: EndToEndStep): string {
  return table(
    ['process', 'CPU (cores)', 'RSS (peak)'],
    Object.entries(step.processes).map(([name, usage]) => [
      name,
      cores(usage.cpuCores),
      mib(usage.rssMiB.peak),
    ]),
  );
}

export const admissionSection: Section = {
  title: 'End to end through kube-apiserver: no webhook, no-op webhooks, prismgate, CEL',
  method:
    "Kyverno's method: latency of the API request itself over a no-webhook baseline. Server-side apply of a new Component (create), then of a label on it (update), as `kubectl apply --server-side` sends them, in four namespaces that alternate request by request so all see the same moments of a shared machine: **none** (opted out of prismgate's webhooks), **floor** (opted out of prismgate, subject to two webhooks registered exactly as prismgate's Vimana webhooks are but answered at once by a bare HTTPS server: what the two calls cost the API server before any admission work), **prismgate** (its mutating and validating webhooks, every Vimana rule), **cel** (opted out of prismgate, judged by in-process ValidatingAdmissionPolicies holding the Vimana rules CEL can express). Before measuring, the run checks that prismgate and the CEL policies both deny a Component breaking F3, that the floor's webhooks are called (the floor refuses dry runs), and that the baseline admits it (dry run).",
  async render(result, { chart }) {
    const { steps, celCovers } = result as AdmissionResult;
    const parts = [`CEL policies cover ${celCovers}.`];
    for (const step of steps) {
      parts.push(`**${clients(step)}**`, latencyTable(step), apiServerTable(step), processTable(step));
    }
    const first = steps[0];
    if (first)
      parts.push(
        await chart(
          'admission-create-latency',
          distributionChart(
            `Create latency through kube-apiserver (${clients(first)})`,
            VARIANTS.map((variant) => ({ name: variant, latency: first.latency.create[variant] })),
          ),
        ),
      );
    parts.push(
      await chart(
        'admission-p99',
        groupedBarChart(
          'p99 by gate, operation and concurrency',
          steps.flatMap((step) =>
            OPERATIONS.flatMap((op) =>
              VARIANTS.map((variant) => ({
                x: `${op}, ${clients(step)}`,
                series: variant,
                value: step.latency[op][variant].p99Ms,
              })),
            ),
          ),
          { x: '', y: 'p99 (ms)' },
        ),
      ),
    );
    return parts.join('\n\n');
  },
};
