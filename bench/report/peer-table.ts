/**
 * The report's peer table: prismgate and the tools a platform team would pick instead, on the same rules
 * in the same run — end to end through kube-apiserver (the admission scenario) and the webhook alone (the
 * webhook scenario: CPU per review, RSS, latency at the same offered load) — with its charts.
 */
import type { BenchResults } from '../results.ts';
import { gateWebhookName } from '../peers/registration.ts';
import type { AdmissionResult, EndToEndStep } from '../scenarios/admission.ts';
import type { GateLoad, WebhookResult } from '../scenarios/webhook.ts';
import { formatMs, formatRatio } from '../support/format.ts';
import type { LoadStep } from '../support/http-load.ts';
import { ratio } from '../support/latency-summary.ts';
import { distributionChart, groupedBarChart } from './charts.ts';
import { bullets, mib, table } from './markdown.ts';
import type { SectionContext } from './section.ts';

/** The admission step at 1 client, or at several. */
const endToEnd = (result: AdmissionResult | undefined, several: boolean) =>
  result?.steps.find((step: EndToEndStep) => step.clients > 1 === several);

const closed = (gate: GateLoad | undefined, connections: number) =>
  gate?.steps.find((step) => !step.ratePerSecond && step.connections === connections);
const paced = (gate: GateLoad | undefined) => gate?.steps.find((step) => step.ratePerSecond);

/** prismgate's validating webhook; each gate's is named after it (registration.ts). */
const VALIDATING_WEBHOOK = 'vimana.validate.prismgate.kappnav.io';

const ms = (value: number | undefined) => (value === undefined ? '—' : formatMs(value));

/** Markdown of the peer table and its charts, or undefined when the run measured no peer. */
export async function peerTable(
  results: BenchResults,
  { chart }: SectionContext,
): Promise<string | undefined> {
  const admission = results.scenarios['admission']?.result as AdmissionResult | undefined;
  const webhook = (results.scenarios['webhook']?.result as WebhookResult | undefined)?.peers;
  if (!admission?.gates && !webhook) return undefined;
  const one = endToEnd(admission, false);
  const many = endToEnd(admission, true);
  const gates = [
    ...new Set([
      ...(admission?.gates ?? []).map((g) => g.gate).filter((gate) => gate !== 'none'),
      ...(webhook?.gates ?? []).map((g) => g.gate),
    ]),
  ];
  const forms = new Map([
    ...(admission?.gates ?? []).map((g) => [g.gate, g.form] as const),
    ...(webhook?.gates ?? []).map((g) => [g.gate, g.form] as const),
  ]);
  const loads = new Map((webhook?.gates ?? []).map((g) => [g.gate, g]));
  const connections = Math.max(...(webhook?.gates[0]?.steps.map((s) => s.connections) ?? [1]));
  const create = (step: EndToEndStep | undefined, gate: string) => step?.latency.create[gate];
  const update = (step: EndToEndStep | undefined, gate: string) => step?.latency.update[gate];
  /** kube-apiserver's mean of the gate's validating call over the 1-client step (creates and updates). */
  const validatingCall = (gate: string) =>
    one?.apiServerCalls[gate === 'prismgate' ? VALIDATING_WEBHOOK : gateWebhookName(gate, VALIDATING_WEBHOOK)]
      ?.meanMs;
  const rows = gates.map((gate) => {
    const load = loads.get(gate);
    const saturated = closed(load, connections);
    const preflight = admission?.preflight?.gates[gate];
    return [
      `\`${gate}\``,
      forms.get(gate) ?? '',
      ms(create(one, gate)?.p50Ms),
      ms(create(one, gate)?.p99Ms),
      ms(create(many, gate)?.p50Ms),
      ms(create(many, gate)?.p99Ms),
      one && create(one, gate) && create(one, 'prismgate')
        ? formatRatio(ratio(create(one, gate)!.p50Ms, create(one, 'prismgate')!.p50Ms))
        : '—',
      ms(update(one, gate)?.p50Ms),
      ms(update(many, gate)?.p50Ms),
      ms(validatingCall(gate)),
      ms(closed(load, 1)?.latency.p50Ms),
      ms(paced(load)?.latency.p99Ms),
      saturated ? saturated.requestsPerSecond.toLocaleString('en-US') : '—',
      saturated ? `${saturated.cpuMicrosPerRequest} µs` : '—',
      saturated ? mib(saturated.prismgate.rssMiB.peak) : '—',
      preflight
        ? preflight.agrees
          ? preflight.corrections?.length
            ? `✅ (${preflight.corrections.length} corrected)`
            : '✅'
          : `⚠️ ${preflight.mismatches.length}`
        : gate === 'floor' || gate === 'cel'
          ? 'n/a'
          : '—',
    ];
  });
  const clientsMany = many ? `${many.clients} clients` : 'several clients';
  const unavailable = [...(admission?.unavailable ?? []), ...(webhook?.unavailable ?? [])].filter(
    (u, i, all) => all.findIndex((v) => v.peer === u.peer) === i,
  );
  const parts = [
    '## Peers: the same rules, side by side',
    "prismgate against the admission engines a platform team would pick instead, each built here from its release (Kyverno, Gatekeeper, Pepr) and run out of cluster against the same control plane, each enforcing the same single-object Vimana rules in its own form, and prismgate's own declarative policy engine; every figure is from this run. End to end: through kube-apiserver, each gate registered exactly like prismgate's validating webhook, request by request in turn (the admission scenario). Webhook alone: the same review POSTed to each gate's endpoint directly (the webhook scenario); CPU per review and RSS are the gate's process, read from /proc.",
    table(
      [
        'gate',
        'engine and form',
        'create p50, 1 client',
        'create p99, 1 client',
        `create p50, ${clientsMany}`,
        `create p99, ${clientsMany}`,
        'create p50 / prismgate',
        'update p50, 1 client',
        `update p50, ${clientsMany}`,
        "validating call, kube-apiserver's mean, 1 client",
        'webhook p50, 1 conn.',
        `webhook p99, paced ${webhook?.pacedRate ?? ''}/s`,
        `req/s, ${connections} conn.`,
        `CPU per review, ${connections} conn.`,
        'RSS (peak)',
        'pre-flight',
      ],
      rows,
    ),
    ...((webhook?.gates ?? []).some((g) => g.error)
      ? [
          bullets(
            (webhook?.gates ?? [])
              .filter((g) => g.error)
              .map((g) => `\`${g.gate}\`'s webhook steps stopped short: ${g.error}`),
          ),
        ]
      : []),
    ...(unavailable.length > 0
      ? [
          bullets(
            unavailable.map(
              (u) =>
                `**\`${u.peer}\` ${u.version}** could not ${u.stage === 'build' ? 'be built' : 'run'} here: ${u.reason.split('\n')[0]}`,
            ),
          ),
        ]
      : []),
    "Pre-flight: ✅ the gate denied every invalid example and admitted every valid object; *corrected*: invalid examples the gate's own mutation made valid before validation (prismgate generates an empty Domain id and lower-cases hostnames, as vimana-invariants.md §3.2 asks), so what would be stored is valid (the admission section lists each correction and disagreement). A create calls prismgate twice (its mutating webhook for the labels and the in-use finalizer, then the validating one) and every other gate once; an update calls every gate's validating webhook once, so update and the validating call compare the same work.",
  ];
  if (one)
    parts.push(
      await chart(
        'peers-end-to-end',
        groupedBarChart(
          'End-to-end create latency by gate',
          gates.flatMap((gate) =>
            [one, many].flatMap((step) => {
              const latency = step && create(step, gate);
              if (!step || !latency) return [];
              const who = step.clients === 1 ? '1 client' : `${step.clients} clients`;
              return [
                { x: gate, series: `p50, ${who}`, value: latency.p50Ms },
                { x: gate, series: `p99, ${who}`, value: latency.p99Ms },
              ];
            }),
          ),
          { x: '', y: 'ms' },
        ),
      ),
    );
  if (webhook) {
    const byGate = (pick: (load: GateLoad) => LoadStep | undefined) =>
      webhook.gates.flatMap((load) => {
        const step = pick(load);
        return step ? [{ load, step }] : [];
      });
    parts.push(
      await chart(
        'peers-cpu',
        groupedBarChart(
          'Webhook CPU per review by gate',
          webhook.gates.flatMap((load) =>
            load.steps.map((step) => ({
              x: load.gate,
              series: step.ratePerSecond
                ? `paced ${step.ratePerSecond}/s`
                : `${step.connections} conn. closed loop`,
              value: step.cpuMicrosPerRequest,
            })),
          ),
          { x: '', y: 'CPU per review (µs)' },
        ),
      ),
      await chart(
        'peers-webhook-latency',
        distributionChart(
          `Webhook latency by gate, paced at ${webhook.pacedRate} req/s`,
          byGate(paced).map(({ load, step }) => ({ name: load.gate, latency: step.latency })),
        ),
      ),
    );
  }
  return parts.join('\n\n');
}
