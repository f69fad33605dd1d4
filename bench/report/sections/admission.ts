/** The report's section for the `admission` scenario (end to end through kube-apiserver). */
import type { AdmissionResult, EndToEndStep } from '../../scenarios/admission.ts';
import { formatMs, formatRatio } from '../../support/format.ts';
import { ratio } from '../../support/latency-summary.ts';
import { distributionChart, groupedBarChart } from '../charts.ts';
import { bullets, cores, mib, table } from '../markdown.ts';
import type { Section } from '../section.ts';

const clients = (step: EndToEndStep) => (step.clients === 1 ? '1 client' : `${step.clients} clients`);

/** The gates of a result, in order (results from before the peers name none: their latency keys). */
export const gatesOf = (result: AdmissionResult) =>
  result.gates?.map((g) => g.gate) ?? Object.keys(result.steps[0]?.latency.create ?? {});

const operationsOf = (step: EndToEndStep) => Object.keys(step.latency) as (keyof EndToEndStep['latency'])[];

function latencyTable(step: EndToEndStep, gates: string[]): string {
  return table(
    ['operation', 'gate', 'n', 'p50', 'p99', 'mean', 'p50 / none', 'p99 / none'],
    operationsOf(step).flatMap((op) =>
      gates.flatMap((gate) => {
        const own = step.latency[op][gate];
        const none = step.latency[op]['none'];
        if (!own || !none) return [];
        return [
          [
            op,
            gate,
            String(own.count),
            formatMs(own.p50Ms),
            formatMs(own.p99Ms),
            formatMs(own.meanMs),
            formatRatio(ratio(own.p50Ms, none.p50Ms)),
            formatRatio(ratio(own.p99Ms, none.p99Ms)),
          ],
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

function preflightPart(result: AdmissionResult): string {
  const { preflight } = result;
  const rows = Object.entries(preflight.gates).map(([gate, g]) => [
    gate,
    `${g.deniedInvalid} / ${preflight.invalid}`,
    `${g.corrections?.length ?? 0}`,
    `${g.admittedValid} / ${preflight.valid}`,
    g.agrees ? '✅ agrees' : `⚠️ ${g.mismatches.length} disagreement(s)`,
  ]);
  const corrections = Object.entries(preflight.gates).flatMap(([gate, g]) =>
    (g.corrections ?? []).map(
      (c) =>
        `\`${gate}\` admitted ${c.title} after its own mutation: spec sent \`${c.sent}\`, stored \`${c.stored}\``,
    ),
  );
  const disagreements = Object.entries(preflight.gates).flatMap(([gate, g]) =>
    g.mismatches.map(
      (m) =>
        `\`${gate}\` ${m.got} ${m.title} (expected ${m.expected})${m.message ? `: ${m.message.replaceAll('\n', ' ')}` : ''}`,
    ),
  );
  return [
    `**Pre-flight** (before anything is timed): the invalid examples of vimana-invariants.md §4.2 that break a rule of ${preflight.rules}, and valid objects, created with dry run through each gate.${preflight.refusedBySchema.length > 0 ? ` ${preflight.refusedBySchema.length} example(s) the CRD schema already refuses (the baseline denies them) are left out: ${preflight.refusedBySchema.join('; ')}.` : ''}`,
    table(['gate', 'invalid denied', 'invalid corrected by its mutation', 'valid admitted', 'verdict'], rows),
    ...(corrections.length > 0
      ? [
          'Corrected, not disagreements: kube-apiserver validates after mutating, and the gate mutates as vimana-invariants.md §3.2 asks (an empty Domain id generated, hostnames lower-cased), so what would be stored is valid.',
          bullets(corrections),
        ]
      : []),
    ...(disagreements.length > 0 ? [bullets(disagreements)] : []),
  ].join('\n\n');
}

function peersPart(result: AdmissionResult): string {
  const lines = [
    ...(result.gates ?? [])
      .filter((g) => g.process && !['prismgate', 'floor', 'kube-apiserver'].includes(g.process))
      .map((g) => `\`${g.gate}\`: ${g.form}`),
    ...(result.unavailable ?? []).map(
      (u) =>
        `**\`${u.peer}\` ${u.version} could not ${u.stage === 'build' ? 'be built' : 'run'} here**: ${u.reason}`,
    ),
    ...(result.peerBuilds ?? [])
      .filter((b) => b.seconds >= 1)
      .map((b) => `\`${b.peer}\` was built in this run in ${b.seconds} s (cached for the next runs)`),
  ];
  return lines.length > 0 ? bullets(lines) : '';
}

export const admissionSection: Section = {
  title: 'End to end through kube-apiserver: no webhook, no-op webhooks, prismgate, CEL, the peers',
  method:
    "Kyverno's method: latency of the API request itself over a no-webhook baseline. Server-side apply of a new Component (create), then of a label on it (update), then of an annotation (touch: spec and labels kept), as `kubectl apply --server-side` sends them, in one namespace per gate; the gates alternate request by request so all see the same moments of a shared machine: **none** (opted out of prismgate's webhooks), **floor** (opted out of prismgate, subject to two webhooks registered exactly as prismgate's Vimana webhooks are but answered at once by a bare HTTPS server: what the two calls cost the API server before any admission work), **prismgate** (its mutating and validating webhooks, every Vimana rule; its policy feature runs apart, as the prismgate-policies peer), **cel** (opted out of prismgate, judged by in-process ValidatingAdmissionPolicies holding the Vimana rules CEL can express), and the **peers**, each enforcing those same rules in its own form, built here and run out of cluster, each registered exactly like prismgate's validating webhook (rules, matchConditions, failurePolicy, timeout; ExternalName Service → localhost, CA bundle) for its own namespace. Before measuring, the run checks that every gate denies a Component breaking F3, that the floor's webhooks are called (the floor refuses dry runs) and that the baseline admits it, then runs the pre-flight below.",
  async render(result, { chart }) {
    const admission = result as AdmissionResult;
    const { steps, celCovers } = admission;
    const gates = gatesOf(admission);
    const parts = [`CEL policies and peers cover ${celCovers}.`];
    const peers = peersPart(admission);
    if (peers) parts.push(peers);
    if (admission.preflight) parts.push(preflightPart(admission));
    for (const step of steps) {
      parts.push(`**${clients(step)}**`, latencyTable(step, gates), apiServerTable(step), processTable(step));
    }
    const first = steps[0];
    if (first)
      parts.push(
        await chart(
          'admission-create-latency',
          distributionChart(
            `Create latency through kube-apiserver (${clients(first)})`,
            gates.flatMap((gate) => {
              const latency = first.latency.create[gate];
              return latency ? [{ name: gate, latency }] : [];
            }),
          ),
        ),
      );
    parts.push(
      await chart(
        'admission-p99',
        groupedBarChart(
          'p99 by gate, operation and concurrency',
          steps.flatMap((step) =>
            operationsOf(step).flatMap((op) =>
              gates.flatMap((gate) => {
                const latency = step.latency[op][gate];
                return latency ? [{ x: `${op}, ${clients(step)}`, series: gate, value: latency.p99Ms }] : [];
              }),
            ),
          ),
          { x: '', y: 'p99 (ms)' },
        ),
      ),
    );
    return parts.join('\n\n');
  },
};
