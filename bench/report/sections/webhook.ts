/** The report's section for the `webhook` scenario. */
import type { WebhookResult } from '../../scenarios/webhook.ts';
import type { LoadStep } from '../../support/http-load.ts';
import { formatMs } from '../../support/format.ts';
import { distributionChart, sizeChart } from '../charts.ts';
import { cores, mib, table } from '../markdown.ts';
import type { Section } from '../section.ts';

const label = (step: LoadStep) =>
  step.ratePerSecond
    ? `${step.connections} conn., paced ${step.ratePerSecond} req/s`
    : `${step.connections} conn.`;

function row(step: LoadStep, server = 'prismgate'): string[] {
  const { latency, prismgate } = step;
  return [
    server,
    label(step),
    step.requestsPerSecond.toLocaleString('en-US'),
    formatMs(latency.p50Ms),
    formatMs(latency.p99Ms),
    formatMs(latency.maxMs),
    cores(prismgate.cpuCores),
    `${step.cpuMicrosPerRequest} µs`,
    `${Math.round((prismgate.systemCpuMs / Math.max(prismgate.cpuMs, 1)) * 100)} %`,
    mib(prismgate.rssMiB.peak),
    String(step.failures),
  ];
}

export const webhookSection: Section = {
  title: 'Webhook alone',
  method:
    "A Component CREATE AdmissionReview (as kube-apiserver sends it for `kubectl apply`) POSTed to `/validate/vimana` over keep-alive HTTPS on loopback, by a load generator in its own process. Closed loop: each connection sends its next review as soon as the answer came, so prismgate runs as fast as it can and latency follows from throughput (Little's law). Paced: a fixed offered rate below saturation; a request its connection could not send on time (the previous answer came late) counts from its scheduled time, so queueing is not hidden. prismgate runs as `npm start` runs it (all features, the prism API) in its own process; CPU and RSS are read from /proc over exactly the measured requests. **floor**: in the same run, with the same load, a bare fastify HTTPS server with prismgate's TLS and HTTP settings that parses each review and allows it at once — what Node, TLS and fastify cost on this machine before any admission work. **The peers**: the same review POSTed directly to each gate's validating endpoint (prismgate's policy engine, Kyverno, Gatekeeper's Rego and CEL templates, Pepr; each in a namespace of its own, since Gatekeeper's constraints select their template by namespace label) at 1 and 32 connections closed loop and paced at a rate every gate sustains here, with prismgate and the floor at the same loads. prismgate runs without its policy feature in this scenario, as in the admission scenario.",
  async render(result, { chart }) {
    const { steps, paced, floor = [], prismgateIdle, peers } = result as WebhookResult;
    const all = [...steps, paced];
    const perConnection = (name: string, title: string, y: string, value: (step: LoadStep) => number) =>
      chart(
        name,
        sizeChart(
          title,
          steps.map((step) => ({ x: String(step.connections), series: y, value: value(step) })),
          { x: 'connections', y },
        ),
      );
    return [
      table(
        [
          'server',
          'load',
          'req/s',
          'p50',
          'p99',
          'max',
          'server CPU (cores)',
          'CPU per review',
          'of it kernel',
          'RSS (peak)',
          'failures',
        ],
        [...all.map((step) => row(step)), ...floor.map((step) => row(step, 'floor'))],
      ),
      `prismgate idle before the load: RSS ${mib(prismgateIdle.rssMiB)}, heap ${mib(prismgateIdle.heapUsedMiB)} after GC. ` +
        "CPU per review is highest at 1 connection: every review then wakes an idle process (on a shared machine with cold caches), and V8's background threads (GC, compilation) are not amortised over a batch.",
      await chart(
        'webhook-latency',
        distributionChart(
          'Webhook latency distribution',
          all.map((step) => ({ name: label(step), latency: step.latency })),
        ),
      ),
      await perConnection(
        'webhook-throughput',
        'Closed loop: throughput by connections',
        'req/s',
        (step) => step.requestsPerSecond,
      ),
      await perConnection(
        'webhook-cpu',
        'Closed loop: prismgate CPU per review by connections',
        'CPU per review (µs)',
        (step) => step.cpuMicrosPerRequest,
      ),
      ...(peers
        ? [
            `**The same review to every gate** (the peer table's webhook figures; each gate's own process for CPU and RSS):`,
            table(
              [
                'gate',
                'load',
                'req/s',
                'p50',
                'p99',
                'max',
                'gate CPU (cores)',
                'CPU per review',
                'of it kernel',
                'RSS (peak)',
                'failures',
              ],
              peers.gates.flatMap((gate) => gate.steps.map((step) => row(step, gate.gate))),
            ),
          ]
        : []),
    ].join('\n\n');
  },
};
