/**
 * End to end through the real kube-apiserver, Kyverno's method (latency over a no-webhook baseline):
 * Component creates and updates by server-side apply, as `kubectl apply --server-side` sends them, in one
 * namespace per gate, side by side in one run:
 *
 * - none:      opted out of prismgate's webhooks, no policy;
 * - floor:     opted out of prismgate, subject to two webhooks registered as prismgate's Vimana webhooks
 *              are but answered at once by a bare server (admission/floor-webhooks.ts): what the calls
 *              themselves cost;
 * - prismgate: prismgate's mutating and validating webhooks (every Vimana rule);
 * - cel:       opted out of prismgate, judged by in-process ValidatingAdmissionPolicies holding the rules
 *              CEL can express (admission/cel-policy.ts);
 * - the peers (peers/): prismgate's policy engine, Kyverno, Gatekeeper (Rego, CEL) and Pepr, each
 *              enforcing those same rules in its own form, registered like prismgate's validating webhook
 *              (peers/registration.ts); a peer that cannot be built or run here is reported with the reason.
 *
 * Before anything is timed, a pre-flight (peers/preflight.ts) records which of the same invalid and valid
 * objects each gate denies and admits. The gates alternate request by request (support/interleaved.ts),
 * by 1 client and by several concurrent ones. prismgate runs as `npm start` runs it, in its own process,
 * less its policy feature (support/scenario-setup.ts: VIMANA_WEBHOOK_FEATURES).
 *
 * Three operations per round: create; update (a label: the webhooks are called); touch (an annotation:
 * spec and labels kept, so prismgate's matchConditions spare the calls).
 *
 * Targets (issues 3, 9 and 19): create p99 with prismgate within 1.2x of no webhook and close to CEL;
 * create p50 within 1.3x of no webhook; touch p50 within 1.1x; prismgate ahead of every peer at p50 and p99.
 */
import { KubeApiError, type KubeClient } from '../../pkg/kube/kube-client.ts';
import { objectPath } from '../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../pkg/kube/types.ts';
import { OPT_OUT_LABEL } from '../../src/registration.ts';
import { VIMANA_RESOURCES } from '../../features/vimana/resource-types.ts';
import type { Growth, Scenario, ScenarioResult, TargetCheck } from '../scenario.ts';
import { recordAdmissionCalls, type AdmissionCalls } from '../support/apiserver-metrics.ts';
import { deleteNamespaces, serverSideApply, until } from '../support/cluster.ts';
import { CEL_COVERS } from '../peers/cel-rules.ts';
import { startPeers, type StartedPeers, type UnavailablePeer, type PeerBuild } from '../peers/peers.ts';
import { preparePeers } from '../peers/peers.ts';
import { preflight, type Preflight } from '../peers/preflight.ts';
import { GATE_LABEL, gateWebhookName, registerGate } from '../peers/registration.ts';
import { formatMs, formatRatio } from '../support/format.ts';
import { growth } from '../support/growth.ts';
import { sampleInterleaved, timed, type Sampler } from '../support/interleaved.ts';
import { ratio, summarize, type LatencySummary } from '../support/latency-summary.ts';
import { startScenario, VIMANA_WEBHOOK_FEATURES } from '../support/scenario-setup.ts';
import { processesByName, watchProcesses, type ProcessUsage } from '../support/process-usage.ts';
import { CEL_LABEL, celPolicyObjects, celPolicyPath } from './admission/cel-policy.ts';
import { component } from './admission/fixture.ts';
import {
  FLOOR_GATE,
  floorName,
  registerFloorWebhooks,
  type FloorWebhooks,
} from './admission/floor-webhooks.ts';
import { vimanaNamespace, type VimanaNamespace } from './admission/vimana-namespace.ts';

const TARGET_RATIO = 1.2;
/** Issue 19: create p50 within 1.3x of no webhook, an update that keeps spec and labels within 1.1x. */
const CREATE_P50_RATIO = 1.3;
const TOUCH_P50_RATIO = 1.1;
/** The gates every run has, before the peers (whichever could be built and run here). */
export const VARIANTS = ['none', 'floor', 'prismgate', 'cel'] as const;
export const OPERATIONS = ['create', 'update', 'touch'] as const;
type Operation = (typeof OPERATIONS)[number];
/** Gates that are not competitors of prismgate: the baseline, the floor and prismgate's own policy engine. */
const NOT_PEERS = new Set<string>([...VARIANTS, 'prismgate-policies']);

export interface EndToEndStep {
  clients: number;
  /** Latency by operation, then gate (VARIANTS, then the peers' gates). */
  latency: Record<Operation, Record<string, LatencySummary>>;
  /** CPU and RSS over the step, every gate together (each peer's process by the peer's name). */
  processes: Record<string, ProcessUsage>;
  /** kube-apiserver's own measure of each admission call over the step (webhooks, CEL policies). */
  apiServerCalls: AdmissionCalls;
}

export interface GateInfo {
  gate: string;
  /** The engine and the form of its rules. */
  form: string;
  /** The process whose CPU and RSS are the gate's (`processes` key). */
  process: string;
}

export interface AdmissionResult extends ScenarioResult {
  request: string;
  celCovers: string;
  /** Every gate measured, in order. */
  gates: GateInfo[];
  /** Peers that could not be built or run here, with the reason. */
  unavailable: UnavailablePeer[];
  /** Each peer's build in this run (seconds; 0 when cached) and start. */
  peerBuilds: PeerBuild[];
  peerStartSeconds: Record<string, number>;
  preflight: Preflight;
  steps: EndToEndStep[];
}

const componentPath = (namespace: string, name: string) =>
  objectPath(VIMANA_RESOURCES.Component, namespace, name);

/**
 * One round for one namespace: a new Component (create: both webhooks are called, the mutating one for
 * the in-use finalizer), then a label on it (update: labels change, so the validating webhook is called;
 * the derived labels are kept, so the mutating one is not), then an annotation (touch: spec and labels
 * kept, no call).
 */
function sampler(client: KubeClient, target: VimanaNamespace, major: number): Sampler {
  return async (round, worker) => {
    const object = component(target.namespace, target.domainId, `${major + worker}.${round}.0`);
    const path = componentPath(target.namespace, object.metadata?.name ?? '');
    const create = await timed(() => serverSideApply(client, path, object));
    const labels = { ...object.metadata?.labels, 'bench/round': String(round) };
    const labelled = { ...object, metadata: { ...object.metadata, labels } };
    const update = await timed(() => serverSideApply(client, path, labelled));
    const annotated = {
      ...labelled,
      metadata: { ...labelled.metadata, annotations: { 'bench/touched': String(round) } },
    };
    const touch = await timed(() => serverSideApply(client, path, annotated));
    return { create, update, touch };
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
    // Denials come as 403 (prismgate), 422 (ValidatingAdmissionPolicies) or 400 (Kyverno).
    if (error instanceof KubeApiError && [400, 403, 422].includes(error.code)) return false;
    throw error;
  }
}

/** Namespace labels that give a namespace to one gate: opted out of prismgate, selected by the gate. */
const gateLabels = (gate: string) => ({ [OPT_OUT_LABEL]: 'true', [GATE_LABEL]: gate });

export const scenario: Scenario = {
  name: 'admission',
  description:
    'End to end through kube-apiserver: Component create/update with no webhook, no-op webhooks (the floor), prismgate, equivalent CEL policies, and the peers (prismgate policies, Kyverno, Gatekeeper, Pepr), side by side',
  async run(context): Promise<AdmissionResult> {
    const { controlPlane, progress, sized } = context;
    const peerBuilds = await preparePeers(progress);
    const { client, prismgate, stop } = await startScenario(context, 'admission', {
      features: VIMANA_WEBHOOK_FEATURES,
    });
    const policies = celPolicyObjects();
    const namespaces: string[] = [];
    const unregister: (() => Promise<void>)[] = [];
    let floor: FloorWebhooks | undefined;
    let peers: StartedPeers | undefined;
    try {
      for (const policy of policies) await serverSideApply(client, celPolicyPath(policy), policy);
      floor = await registerFloorWebhooks(client);
      peers = await startPeers({ client, kubeconfig: controlPlane.kubeconfig, log: progress });
      for (const gate of peers.gates)
        unregister.push(
          await registerGate(client, {
            gate: gate.gate,
            service: gate.service,
            port: gate.port,
            caBundle: gate.caBundle,
            validatePath: gate.path,
          }),
        );
      const targets: Record<string, VimanaNamespace> = {
        none: await vimanaNamespace(client, 'bench-none', { [OPT_OUT_LABEL]: 'true' }),
        floor: await vimanaNamespace(client, 'bench-floor', gateLabels(FLOOR_GATE)),
        prismgate: await vimanaNamespace(client, 'bench-prismgate', {}),
        cel: await vimanaNamespace(client, 'bench-cel', { [OPT_OUT_LABEL]: 'true', [CEL_LABEL]: 'true' }),
      };
      for (const gate of peers.gates)
        targets[gate.gate] = await vimanaNamespace(client, `bench-${gate.gate}`, gateLabels(gate.gate));
      namespaces.push(...Object.values(targets).map((t) => t.namespace));
      const none = targets['none']!;
      // The comparison means something only if every gate judges, the floor's webhooks are called (they
      // refuse dry runs, and only dry runs), and the baseline has none.
      await until(
        "every gate to deny an invalid Component, the floor's webhooks to be called, and the baseline to admit it",
        async () => {
          for (const [gate, target] of Object.entries(targets))
            if ((await admitsInvalid(client, target)) !== (gate === 'none')) return false;
          return true;
        },
        30_000,
        500,
      );
      const { floor: _floor, none: _none, ...judging } = targets;
      progress(`pre-flight: the same invalid and valid objects through every gate (${CEL_COVERS})`);
      const checked = await preflight(client, none, judging);
      for (const [gate, result] of Object.entries(checked.gates))
        progress(
          `  ${gate}: denied ${result.deniedInvalid} of ${checked.invalid} invalid${result.corrections?.length ? ` (${result.corrections.length} corrected by its mutation)` : ''}, admitted ${result.admittedValid} of ${checked.valid} valid${result.agrees ? '' : ` (${result.mismatches.length} disagreements)`}`,
        );
      await prismgate.settle();

      const gates: GateInfo[] = [
        { gate: 'none', form: 'no webhook, no policy (the baseline)', process: '' },
        {
          gate: 'floor',
          form: "prismgate's two webhooks answered at once by a bare server",
          process: 'floor',
        },
        {
          gate: 'prismgate',
          form: "prismgate's Vimana webhooks (mutating, validating)",
          process: 'prismgate',
        },
        { gate: 'cel', form: 'ValidatingAdmissionPolicies in kube-apiserver', process: 'kube-apiserver' },
        ...peers.gates.map((gate) => ({ gate: gate.gate, form: gate.form, process: gate.peer })),
      ];
      const processes = {
        prismgate: prismgate.pid,
        floor: floor.pid,
        ...Object.fromEntries(peers.gates.map((gate) => [gate.peer, gate.pid])),
        ...processesByName(controlPlane.processIds),
      };
      const steps: EndToEndStep[] = [];
      for (const clients of sized({ full: [1, 8], quick: [1, 4] })) {
        progress(
          `${clients} client(s): create, update and touch, alternating ${gates.map((g) => g.gate).join(' / ')}`,
        );
        // The first scrape of kube-apiserver's /metrics (several MiB) is not part of the step's CPU.
        const admissionCalls = await recordAdmissionCalls(controlPlane.kubeconfig);
        const stopWatching = watchProcesses(processes);
        const samples = await prismgate.profile(`${clients}-clients`, () =>
          sampleInterleaved(
            Object.fromEntries(
              gates.map(({ gate }) => [gate, sampler(client, targets[gate]!, clients * 100)]),
            ),
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
            Object.fromEntries(gates.map(({ gate }) => [gate, summarize(samples[gate]?.[op] ?? [])])),
          ]),
        ) as EndToEndStep['latency'];
        progress(
          `  create p99: ${gates.map(({ gate }) => `${gate} ${formatMs(latency.create[gate]!.p99Ms)}`).join(', ')}`,
        );
        steps.push({ clients, latency, processes: usage, apiServerCalls });
      }
      return {
        request:
          'server-side apply of a new Component (create), then of a label on it (update), then of an annotation (touch: spec and labels kept)',
        celCovers: `${CEL_COVERS} (single-object rules); prismgate also runs R1-R12, I1-I5, D1-D4, uniqueness, mutation and status`,
        gates,
        unavailable: peers.unavailable,
        peerBuilds,
        peerStartSeconds: peers.startSeconds,
        preflight: checked,
        steps,
        targets: steps.flatMap((step) => stepTargets(step, gates)),
        growth: stepGrowth(steps, gates),
      };
    } finally {
      for (const policy of [...policies].reverse())
        await client.request('DELETE', celPolicyPath(policy)).catch(() => undefined);
      for (const remove of unregister) await remove();
      await deleteNamespaces(client, namespaces).catch(() => undefined);
      await peers?.stop();
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

/** pXX of `gate` over no webhook, for one operation. */
function overNone(step: EndToEndStep, op: Operation, gate: string, p: 'p50Ms' | 'p99Ms'): number {
  return ratio(step.latency[op][gate]![p], step.latency[op]['none']![p]);
}

/**
 * What a create pays for prismgate as kube-apiserver measures it — one call of each Vimana webhook (the
 * mutating one, then the validating one on the mutated object), each a TLS round trip with the review
 * serialised and decoded in the API server — beside what the floor's two no-op calls cost.
 */
function webhookCallsNote(step: EndToEndStep): string {
  const prismgate = callsTogether(step, CREATE_CALLS);
  const floor = callsTogether(step, CREATE_CALLS.map(floorName));
  return (
    (prismgate ? `; by kube-apiserver's measure a create waits for prismgate's ${prismgate}` : '') +
    `; the floor (the same two webhooks answered at once by a bare server) alone: p99 ${formatMs(step.latency.create['floor']!.p99Ms)}, ${formatRatio(overNone(step, 'create', 'floor', 'p99Ms'))} of no webhook, p50 ${formatRatio(overNone(step, 'create', 'floor', 'p50Ms'))}` +
    (floor ? `, ${floor}` : '')
  );
}

/** `mutate 120, validate 240` for the step: how many times kube-apiserver called each of a gate's webhooks. */
function callCounts({ apiServerCalls }: EndToEndStep, names: string[]): string {
  return names.map((name) => `${name.split('.')[1]} ${apiServerCalls[name]?.calls ?? 0}`).join(', ');
}

/**
 * Create and update (a label, the spec kept in line) each against the floor, which is registered with
 * the same matchConditions and so is called exactly when prismgate is: what remains is prismgate's work,
 * not the calls.
 */
function overFloor(step: EndToEndStep, who: string): TargetCheck[] {
  const calls = `calls in the step, prismgate: ${callCounts(step, CREATE_CALLS)}; floor: ${callCounts(step, CREATE_CALLS.map(floorName))}`;
  return (['create', 'update'] as const).map((op) => {
    const measured = ratio(step.latency[op]['prismgate']!.p50Ms, step.latency[op]['floor']!.p50Ms);
    return {
      figure: `end-to-end ${op} p50 with prismgate over the floor of the same calls (${who})`,
      target: `≤ ${CREATE_P50_RATIO}x`,
      measured: formatRatio(measured),
      met: measured <= CREATE_P50_RATIO,
      note: `p50 ${formatMs(step.latency[op]['prismgate']!.p50Ms)} vs ${formatMs(step.latency[op]['floor']!.p50Ms)}; ${calls}`,
    };
  });
}

/** prismgate against the fastest peer at one percentile: ≤ 1.00x is ahead of every peer. */
function aheadOfPeers(
  step: EndToEndStep,
  gates: GateInfo[],
  op: Operation,
  p: 'p50Ms' | 'p99Ms',
  who: string,
): TargetCheck[] {
  const peers = gates.filter(({ gate }) => !NOT_PEERS.has(gate)).map(({ gate }) => gate);
  if (peers.length === 0) return [];
  const own = step.latency[op]['prismgate']![p];
  const [fastest] = [...peers].sort((a, b) => step.latency[op][a]![p] - step.latency[op][b]![p]);
  const best = step.latency[op][fastest!]![p];
  const percentile = p === 'p50Ms' ? 'p50' : 'p99';
  return [
    {
      figure: `end-to-end ${op} ${percentile}: prismgate over the fastest peer (${who})`,
      target: '≤ 1.00x (ahead of every peer)',
      measured: formatRatio(ratio(own, best)),
      met: own <= best,
      note:
        `prismgate ${formatMs(own)}; ${peers.map((gate) => `${gate} ${formatMs(step.latency[op][gate]![p])}`).join(', ')}` +
        (op === 'create'
          ? `; a create calls prismgate twice (mutating: labels and the in-use finalizer; validating), every peer once, and the floor of those two no-op calls alone is ${formatMs(step.latency.create['floor']![p])}`
          : ''),
    },
  ];
}

/**
 * The same work side by side: one validating call on the same rules, each gate's as kube-apiserver measures
 * it (its `apiserver_admission_webhook_admission_duration_seconds` mean over the step's creates and
 * updates). A create also calls prismgate's mutating webhook (the labels and the in-use finalizer, work no
 * peer does), so the end-to-end create compares two calls with one.
 */
function validatingCallAheadOfPeers(step: EndToEndStep, gates: GateInfo[], who: string): TargetCheck[] {
  const validate = (gate: string) => step.apiServerCalls[gateWebhookName(gate, CREATE_CALLS[1]!)]?.meanMs;
  const peers = gates
    .filter(({ gate }) => !NOT_PEERS.has(gate) && validate(gate) !== undefined)
    .map(({ gate }) => gate);
  const own = step.apiServerCalls[CREATE_CALLS[1]!]?.meanMs;
  if (peers.length === 0 || own === undefined) return [];
  const best = Math.min(...peers.map((gate) => validate(gate)!));
  return [
    {
      figure: `validating call on the same rules, kube-apiserver's mean per call: prismgate over the fastest peer (${who})`,
      target: '≤ 1.00x (ahead of every peer)',
      measured: formatRatio(ratio(own, best)),
      met: own <= best,
      note: `prismgate ${formatMs(own)}; ${peers.map((gate) => `${gate} ${formatMs(validate(gate)!)}`).join(', ')}; the floor ${formatMs(step.apiServerCalls[floorName(CREATE_CALLS[1]!)]?.meanMs ?? NaN)}`,
    },
  ];
}

function stepTargets(step: EndToEndStep, gates: GateInfo[]): TargetCheck[] {
  const { clients, latency } = step;
  const { none, prismgate, cel } = latency.create as Record<string, LatencySummary>;
  const who = clients === 1 ? '1 client' : `${clients} concurrent clients`;
  const createP99 = overNone(step, 'create', 'prismgate', 'p99Ms');
  const createP50 = overNone(step, 'create', 'prismgate', 'p50Ms');
  const touchP50 = overNone(step, 'touch', 'prismgate', 'p50Ms');
  return [
    {
      figure: `end-to-end create p99 with prismgate over no webhook (${who})`,
      target: `≤ ${TARGET_RATIO}x`,
      measured: formatRatio(createP99),
      met: createP99 <= TARGET_RATIO,
      note: `p99 ${formatMs(prismgate!.p99Ms)} vs ${formatMs(none!.p99Ms)}; p50 ratio ${formatRatio(createP50)}${webhookCallsNote(step)}`,
    },
    {
      figure: `end-to-end create p99 with prismgate over CEL policies (${who})`,
      target: `≤ ${TARGET_RATIO}x ("close to CEL")`,
      measured: formatRatio(ratio(prismgate!.p99Ms, cel!.p99Ms)),
      met: ratio(prismgate!.p99Ms, cel!.p99Ms) <= TARGET_RATIO,
      note: `CEL p99 ${formatMs(cel!.p99Ms)}, ${formatRatio(overNone(step, 'create', 'cel', 'p99Ms'))} of no webhook; prismgate runs more rules than CEL can express`,
    },
    {
      figure: `end-to-end create p50 with prismgate over no webhook (${who})`,
      target: `≤ ${CREATE_P50_RATIO}x`,
      measured: formatRatio(createP50),
      met: createP50 <= CREATE_P50_RATIO,
      note: `p50 ${formatMs(prismgate!.p50Ms)} vs ${formatMs(none!.p50Ms)}; the floor's two no-op calls alone ${formatRatio(overNone(step, 'create', 'floor', 'p50Ms'))}`,
    },
    {
      figure: `end-to-end update keeping spec and labels (touch) p50 with prismgate over no webhook (${who})`,
      target: `≤ ${TOUCH_P50_RATIO}x`,
      measured: formatRatio(touchP50),
      met: touchP50 <= TOUCH_P50_RATIO,
      note: `p50 ${formatMs(latency.touch['prismgate']!.p50Ms)} vs ${formatMs(latency.touch['none']!.p50Ms)}: matchConditions spare the webhook calls`,
    },
    ...overFloor(step, who),
    ...(['create', 'update'] as const).flatMap((op) =>
      (['p50Ms', 'p99Ms'] as const).flatMap((p) => aheadOfPeers(step, gates, op, p, who)),
    ),
    ...validatingCallAheadOfPeers(step, gates, who),
  ];
}

function stepGrowth(steps: EndToEndStep[], gates: GateInfo[]): Growth[] {
  const size = (step: EndToEndStep) => (step.clients === 1 ? '1 client' : `${step.clients} clients`);
  return OPERATIONS.flatMap((op) =>
    gates.map(({ gate }) =>
      growth(
        `${op} p99 (${gate})`,
        'ms',
        steps.map((step) => ({ size: size(step), value: step.latency[op][gate]!.p99Ms })),
      ),
    ),
  );
}
