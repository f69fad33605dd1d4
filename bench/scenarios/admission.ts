/**
 * End to end through the real kube-apiserver, Kyverno's method (latency over a no-webhook baseline):
 * Component creates and updates by server-side apply, as `kubectl apply --server-side` sends them, in
 * four namespaces side by side in one run:
 *
 * - none:      opted out of prismgate's webhooks, no policy;
 * - floor:     opted out of prismgate, subject to two webhooks registered as prismgate's Vimana webhooks
 *              are but answered at once by a bare server (admission/floor-webhooks.ts): what the calls
 *              themselves cost;
 * - prismgate: prismgate's mutating and validating webhooks (every Vimana rule);
 * - cel:       opted out of prismgate, judged by in-process ValidatingAdmissionPolicies holding the rules
 *              CEL can express (admission/cel-policy.ts).
 *
 * The three alternate request by request (admission/../support/interleaved.ts), by 1 client and by
 * several concurrent ones. prismgate runs as `npm start` runs it, in its own process.
 *
 * Targets (issues 3 and 9): create p99 with prismgate within 1.2x of no webhook, and close to CEL.
 */
import { KubeApiError, type KubeClient } from '../../pkg/kube/kube-client.ts';
import { objectPath } from '../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../pkg/kube/types.ts';
import { OPT_OUT_LABEL } from '../../src/registration.ts';
import { VIMANA_RESOURCES } from '../../features/vimana/resource-types.ts';
import type { Growth, Scenario, ScenarioResult, TargetCheck } from '../scenario.ts';
import { recordAdmissionCalls, type AdmissionCalls } from '../support/apiserver-metrics.ts';
import { deleteNamespaces, serverSideApply, until } from '../support/cluster.ts';
import { formatMs, formatRatio } from '../support/format.ts';
import { growth } from '../support/growth.ts';
import { sampleInterleaved, timed, type Sampler } from '../support/interleaved.ts';
import { ratio, summarize, type LatencySummary } from '../support/latency-summary.ts';
import { startScenario } from '../support/scenario-setup.ts';
import { processesByName, watchProcesses, type ProcessUsage } from '../support/process-usage.ts';
import { CEL_LABEL, celPolicyObjects, celPolicyPath } from './admission/cel-policy.ts';
import { component } from './admission/fixture.ts';
import {
  FLOOR_LABEL,
  floorName,
  registerFloorWebhooks,
  type FloorWebhooks,
} from './admission/floor-webhooks.ts';
import { vimanaNamespace, type VimanaNamespace } from './admission/vimana-namespace.ts';

const TARGET_RATIO = 1.2;
export const VARIANTS = ['none', 'floor', 'prismgate', 'cel'] as const;
type Variant = (typeof VARIANTS)[number];
export const OPERATIONS = ['create', 'update'] as const;
type Operation = (typeof OPERATIONS)[number];

export interface EndToEndStep {
  clients: number;
  /** Latency by operation, then variant. */
  latency: Record<Operation, Record<Variant, LatencySummary>>;
  /** p50 and p99 of the floor, of prismgate and of CEL, each over no webhook. */
  ratios: Record<
    Operation,
    {
      floorP50: number;
      floorP99: number;
      prismgateP50: number;
      prismgateP99: number;
      celP50: number;
      celP99: number;
    }
  >;
  /** CPU and RSS over the step, every variant together. */
  processes: Record<string, ProcessUsage>;
  /** kube-apiserver's own measure of each admission call over the step (webhooks, CEL policies). */
  apiServerCalls: AdmissionCalls;
}

export interface AdmissionResult extends ScenarioResult {
  request: string;
  celCovers: string;
  steps: EndToEndStep[];
}

const componentPath = (namespace: string, name: string) =>
  objectPath(VIMANA_RESOURCES.Component, namespace, name);

/** One round for one namespace: a new Component (CREATE), then a label on it (UPDATE). */
function sampler(client: KubeClient, target: VimanaNamespace, major: number): Sampler {
  return async (round, worker) => {
    const object = component(target.namespace, target.domainId, `${major + worker}.${round}.0`);
    const path = componentPath(target.namespace, object.metadata?.name ?? '');
    const create = await timed(() => serverSideApply(client, path, object));
    const labelled = {
      ...object,
      metadata: { ...object.metadata, labels: { 'bench/round': String(round) } },
    };
    const update = await timed(() => serverSideApply(client, path, labelled));
    return { create, update };
  };
}

/** Whether the API server lets a Component with a version breaking F3 through (dry run: nothing is stored). */
async function admitsInvalid(client: KubeClient, target: VimanaNamespace): Promise<boolean> {
  const object: KubeObject = component(target.namespace, target.domainId, '1.2.3-alpha.1');
  try {
    await client.request('PATCH', componentPath(target.namespace, object.metadata?.name ?? ''), {
      body: object,
      contentType: 'application/apply-patch+yaml',
      query: { fieldManager: 'bench', force: true, dryRun: 'All' },
    });
    return true;
  } catch (error) {
    if (error instanceof KubeApiError && (error.code === 403 || error.code === 422)) return false;
    throw error;
  }
}

export const scenario: Scenario = {
  name: 'admission',
  description:
    'End to end through kube-apiserver: Component create/update with no webhook, with no-op webhooks (the floor), with prismgate, and with equivalent CEL policies, side by side',
  async run(context): Promise<AdmissionResult> {
    const { controlPlane, progress, sized } = context;
    const { client, prismgate, stop } = await startScenario(context, 'admission');
    const policies = celPolicyObjects();
    const namespaces: string[] = [];
    let floor: FloorWebhooks | undefined;
    try {
      for (const policy of policies) await serverSideApply(client, celPolicyPath(policy), policy);
      floor = await registerFloorWebhooks(client);
      const targets: Record<Variant, VimanaNamespace> = {
        none: await vimanaNamespace(client, 'bench-none', { [OPT_OUT_LABEL]: 'true' }),
        floor: await vimanaNamespace(client, 'bench-floor', {
          [OPT_OUT_LABEL]: 'true',
          [FLOOR_LABEL]: 'true',
        }),
        prismgate: await vimanaNamespace(client, 'bench-prismgate', {}),
        cel: await vimanaNamespace(client, 'bench-cel', { [OPT_OUT_LABEL]: 'true', [CEL_LABEL]: 'true' }),
      };
      namespaces.push(...Object.values(targets).map((t) => t.namespace));
      // The comparison means something only if both gates judge, the floor's webhooks are called (they
      // refuse dry runs, and only dry runs), and the baseline has none.
      await until(
        "the CEL policies and prismgate to deny an invalid Component, the floor's webhooks to be called, and the baseline to admit it",
        async () =>
          (await admitsInvalid(client, targets.none)) &&
          !(await admitsInvalid(client, targets.floor)) &&
          !(await admitsInvalid(client, targets.prismgate)) &&
          !(await admitsInvalid(client, targets.cel)),
        30_000,
        500,
      );
      await prismgate.settle();

      const processes = {
        prismgate: prismgate.pid,
        floor: floor.pid,
        ...processesByName(controlPlane.processIds),
      };
      const steps: EndToEndStep[] = [];
      for (const clients of sized({ full: [1, 8], quick: [1, 4] })) {
        progress(`${clients} client(s): create and update, alternating ${VARIANTS.join(' / ')}`);
        // The first scrape of kube-apiserver's /metrics (several MiB) is not part of the step's CPU.
        const admissionCalls = await recordAdmissionCalls(controlPlane.kubeconfig);
        const stopWatching = watchProcesses(processes);
        const samples = await prismgate.profile(`${clients}-clients`, () =>
          sampleInterleaved(
            {
              none: sampler(client, targets.none, clients * 100),
              floor: sampler(client, targets.floor, clients * 100),
              prismgate: sampler(client, targets.prismgate, clients * 100),
              cel: sampler(client, targets.cel, clients * 100),
            },
            {
              rounds: sized({ full: clients === 1 ? 300 : 60, quick: clients === 1 ? 40 : 10 }),
              warmup: sized({ full: 10, quick: 3 }),
              workers: clients,
            },
          ),
        );
        const usage = stopWatching();
        const apiServerCalls = await admissionCalls();
        const latency = Object.fromEntries(
          OPERATIONS.map((op) => [
            op,
            Object.fromEntries(VARIANTS.map((v) => [v, summarize(samples[v][op] ?? [])])),
          ]),
        ) as EndToEndStep['latency'];
        const ratios = Object.fromEntries(
          OPERATIONS.map((op) => {
            const { none, floor: bare, prismgate: gated, cel } = latency[op];
            return [
              op,
              {
                floorP50: ratio(bare.p50Ms, none.p50Ms),
                floorP99: ratio(bare.p99Ms, none.p99Ms),
                prismgateP50: ratio(gated.p50Ms, none.p50Ms),
                prismgateP99: ratio(gated.p99Ms, none.p99Ms),
                celP50: ratio(cel.p50Ms, none.p50Ms),
                celP99: ratio(cel.p99Ms, none.p99Ms),
              },
            ];
          }),
        ) as EndToEndStep['ratios'];
        progress(
          `  create p99: none ${formatMs(latency.create.none.p99Ms)}, floor ${formatMs(latency.create.floor.p99Ms)}, prismgate ${formatMs(latency.create.prismgate.p99Ms)}, cel ${formatMs(latency.create.cel.p99Ms)}`,
        );
        steps.push({ clients, latency, ratios, processes: usage, apiServerCalls });
      }
      return {
        request: 'server-side apply of a new Component (create), then of a label on it (update)',
        celCovers:
          'F1 F2 F3 F4/X1 F5 F6 F10 F12 F13 X2 X5 X7 (single-object rules); prismgate also runs R1-R12, I1-I5, D1-D4, uniqueness, mutation and status',
        steps,
        targets: steps.flatMap((step) => stepTargets(step)),
        growth: stepGrowth(steps),
      };
    } finally {
      for (const policy of [...policies].reverse())
        await client.request('DELETE', celPolicyPath(policy)).catch(() => undefined);
      await deleteNamespaces(client, namespaces).catch(() => undefined);
      await floor?.stop();
      await stop();
    }
  },
};

/** A create's webhook calls, mutating then validating, as kube-apiserver's metrics name prismgate's. */
const CREATE_CALLS = ['vimana.mutate.prismgate.kappnav.io', 'vimana.validate.prismgate.kappnav.io'];

/** `2 calls, 3.66 ms together (1.82 ms + 1.84 ms)` by kube-apiserver's measure, or undefined if none. */
function callsTogether({ apiServerCalls }: EndToEndStep, names: string[]): string | undefined {
  const calls = names
    .map((name) => apiServerCalls[name]?.meanMs)
    .filter((ms): ms is number => ms !== undefined);
  if (calls.length === 0) return undefined;
  const total = calls.reduce((sum, ms) => sum + ms, 0);
  return `${calls.length} calls, ${formatMs(total)} together (${calls.map(formatMs).join(' + ')})`;
}

/**
 * What a create pays for prismgate as kube-apiserver measures it — one call of each Vimana webhook (the
 * mutating one, then the validating one on the mutated object), each a TLS round trip with the review
 * serialised and decoded in the API server — beside what the floor's two no-op calls cost.
 */
function webhookCallsNote(step: EndToEndStep): string {
  const { latency, ratios } = step;
  const prismgate = callsTogether(step, CREATE_CALLS);
  const floor = callsTogether(step, CREATE_CALLS.map(floorName));
  return (
    (prismgate ? `; by kube-apiserver's measure a create waits for prismgate's ${prismgate}` : '') +
    `; the floor (the same two webhooks answered at once by a bare server) alone: p99 ${formatMs(latency.create.floor.p99Ms)}, ${formatRatio(ratios.create.floorP99)} of no webhook, p50 ${formatRatio(ratios.create.floorP50)}` +
    (floor ? `, ${floor}` : '')
  );
}

function stepTargets(step: EndToEndStep): TargetCheck[] {
  const { clients, latency, ratios } = step;
  const { none, prismgate, cel } = latency.create;
  const who = clients === 1 ? '1 client' : `${clients} concurrent clients`;
  return [
    {
      figure: `end-to-end create p99 with prismgate over no webhook (${who})`,
      target: `≤ ${TARGET_RATIO}x`,
      measured: formatRatio(ratios.create.prismgateP99),
      met: ratios.create.prismgateP99 <= TARGET_RATIO,
      note: `p99 ${formatMs(prismgate.p99Ms)} vs ${formatMs(none.p99Ms)}; p50 ratio ${formatRatio(ratios.create.prismgateP50)}${webhookCallsNote(step)}`,
    },
    {
      figure: `end-to-end create p99 with prismgate over CEL policies (${who})`,
      target: `≤ ${TARGET_RATIO}x ("close to CEL")`,
      measured: formatRatio(ratio(prismgate.p99Ms, cel.p99Ms)),
      met: ratio(prismgate.p99Ms, cel.p99Ms) <= TARGET_RATIO,
      note: `CEL p99 ${formatMs(cel.p99Ms)}, ${formatRatio(ratios.create.celP99)} of no webhook; prismgate runs more rules than CEL can express`,
    },
  ];
}

function stepGrowth(steps: EndToEndStep[]): Growth[] {
  const size = (step: EndToEndStep) => (step.clients === 1 ? '1 client' : `${step.clients} clients`);
  return OPERATIONS.flatMap((op) =>
    VARIANTS.map((variant) =>
      growth(
        `${op} p99 (${variant})`,
        'ms',
        steps.map((step) => ({ size: size(step), value: step.latency[op][variant].p99Ms })),
      ),
    ),
  );
}
