/**
 * The webhook alone: Component CREATE AdmissionReviews (POST /validate/vimana) over keep-alive HTTPS.
 *
 * - Closed loop at 1, 8, 32 and 128 connections, each connection sending its next review as soon as the
 *   answer came: prismgate runs as fast as it goes, which gives its throughput, and latency under that
 *   saturation.
 * - Paced at 32 connections: a fixed offered rate below saturation, a late request's latency measured
 *   from its scheduled time: how prismgate answers under a heavy but sustainable load.
 *
 * Per step: req/s, latency p50/p99/max, prismgate's CPU (per review too) and RSS. prismgate runs as
 * `npm start` runs it (every feature, the prism API), in its own process; the load comes from another.
 *
 * The floor, measured in the same run with the same load: a bare fastify HTTPS server with prismgate's
 * TLS and HTTP settings that parses each review and allows it at once (bare-webhook-host.ts), at 1 and
 * 32 connections. It is what Node, TLS and fastify cost on this machine before any admission work.
 *
 * The peers (peers/): the same review POSTed directly to each peer's validating endpoint (prismgate's
 * policy engine, Kyverno, Gatekeeper's Rego and CEL templates, Pepr), and to prismgate and the floor, at
 * 1 and 32 connections closed loop and paced at PEER_PACED_RATE: req/s, latency, the peer's CPU per
 * review and RSS. Each gate's review names a namespace of its own (Gatekeeper's constraints select their
 * template by namespace label). prismgate runs without its policy feature here, as in the admission
 * scenario (its policy engine is a peer of its own).
 *
 * Targets (issues 3 and 19): p99 under 5 ms at 32 connections; CPU per review within 1.3x the floor's.
 */
import type { Scenario, ScenarioResult } from '../scenario.ts';
import { preparePeers, startPeers, type UnavailablePeer } from '../peers/peers.ts';
import { serviceHost } from '../peers/peer-process.ts';
import { GATE_LABEL } from '../peers/registration.ts';
import { OPT_OUT_LABEL } from '../../src/registration.ts';
import { rssMiB } from '../support/process-usage.ts';
import { formatMs } from '../support/format.ts';
import { growth } from '../support/growth.ts';
import { measureLoad, type LoadStep } from '../support/http-load.ts';
import { ratio } from '../support/latency-summary.ts';
import type { LoadJob } from '../support/load-generator.ts';
import { startBareWebhook } from '../support/bare-webhook.ts';
import type { HostMemory } from '../support/prismgate-process.ts';
import { startScenario, VIMANA_WEBHOOK_FEATURES } from '../support/scenario-setup.ts';
import { componentCreateReview } from './admission/review.ts';
import { vimanaNamespace } from './admission/vimana-namespace.ts';

const CONNECTIONS = [1, 8, 32, 128];
const TARGET_CONNECTIONS = 32;
const FLOOR_CONNECTIONS = [1, TARGET_CONNECTIONS];
const TARGET_P99_MS = 5;
/** Issue 19: prismgate's CPU per review at most this much over the bare floor's (32 connections). */
const TARGET_CPU_OVER_FLOOR = 1.3;
/**
 * The peers' paced step: an offered rate every gate can sustain on this machine (a closed loop gives each
 * one's ceiling), so latencies compare at the same load rather than at each one's saturation.
 */
const PEER_PACED_RATE = 500;
const PEER_CONNECTIONS = [1, TARGET_CONNECTIONS];
/**
 * The paced step's offered rate: Kubewarden's largest published deployment answers about 300 admission
 * requests a second over 15 replicas (anchors.md §1.5); this is a hundred times one replica's share there.
 */
const PACED_RATE = 2_000;

export interface WebhookResult extends ScenarioResult {
  review: string;
  prismgateIdle: HostMemory;
  /** Closed loop, by connections. */
  steps: LoadStep[];
  /** Paced at PACED_RATE over TARGET_CONNECTIONS connections. */
  paced: LoadStep;
  /** The bare server, closed loop at FLOOR_CONNECTIONS; its `prismgate` figures are the bare server's. */
  floor: LoadStep[];
  /** The same review to every gate directly; absent in results from before the peers. */
  peers?: PeerComparison;
}

export interface GateLoad {
  gate: string;
  /** The engine and the form of its rules. */
  form: string;
  /** The gate's process RSS before the load, in MiB (prismgate's after a full GC; not taken for the floor). */
  idleRssMiB?: number;
  /** Closed loop at each of PEER_CONNECTIONS, then paced at PEER_PACED_RATE (each step's `prismgate` figures are the gate's process). */
  steps: LoadStep[];
  /** Why the gate's steps stopped short, if they did. */
  error?: string;
}

export interface PeerComparison {
  pacedRate: number;
  gates: GateLoad[];
  unavailable: UnavailablePeer[];
}

export const scenario: Scenario = {
  name: 'webhook',
  description:
    'Vimana validating webhook alone at 1/8/32/128 keep-alive HTTPS connections (closed loop) and paced at 32: req/s, latency, CPU, RSS',
  async run(context): Promise<WebhookResult> {
    const { progress, sized } = context;
    await preparePeers(progress);
    const { client, prismgate, stop } = await startScenario(context, 'webhook', {
      features: VIMANA_WEBHOOK_FEATURES,
    });
    try {
      const target = await vimanaNamespace(client, 'bench-webhook', {});
      await prismgate.settle();
      const idle = await prismgate.memory();
      const job = (connections: number): LoadJob => ({
        port: prismgate.webhookPort,
        path: '/validate/vimana',
        caPem: prismgate.caBundle,
        body: componentCreateReview(target),
        expect: '"allowed":true',
        connections,
        // About ten seconds per step on two cores, and never longer than maxMs.
        requests: sized({
          full: Math.min(60_000, 6_000 * connections),
          quick: 1_500 * Math.min(connections, 4),
        }),
        warmup: sized({ full: 2_000, quick: 300 }) + 20 * connections,
        maxMs: sized({ full: 20_000, quick: 6_000 }),
        serverPid: prismgate.pid,
      });
      const measure = async (name: string, load: LoadJob, profiled = true) => {
        progress(name);
        const step = profiled
          ? await prismgate.profile(name.replaceAll(' ', '-'), () => measureLoad(load))
          : await measureLoad(load);
        if (step.failures > 0) progress(`  ${step.failures} unexpected answers, e.g. ${step.firstFailure}`);
        progress(
          `  ${step.requestsPerSecond} req/s, p50 ${formatMs(step.latency.p50Ms)}, p99 ${formatMs(step.latency.p99Ms)}, server ${step.prismgate.cpuCores} cores`,
        );
        return step;
      };
      /** A job paced at PEER_PACED_RATE for the peer comparison: about 10 s of load. */
      const pacedAt = (load: LoadJob): LoadJob => ({
        ...load,
        ratePerSecond: PEER_PACED_RATE,
        requests: sized({ full: PEER_PACED_RATE * 10, quick: PEER_PACED_RATE * 3 }),
        warmup: sized({ full: PEER_PACED_RATE * 2, quick: PEER_PACED_RATE / 2 }),
        maxMs: sized({ full: 15_000, quick: 6_000 }),
      });
      /**
       * Every peer started, its review POSTed to it at PEER_CONNECTIONS closed loop and paced; prismgate's
       * and the floor's steps at the same loads are passed in (measured above with the same review).
       */
      const comparePeers = async (own: {
        prismgate: LoadStep[];
        floor: LoadStep[];
        prismgateIdleRssMiB: number;
      }): Promise<PeerComparison> => {
        const started = await startPeers({
          client,
          kubeconfig: context.controlPlane.kubeconfig,
          log: progress,
        });
        try {
          const gates: GateLoad[] = [
            {
              gate: 'prismgate',
              form: "prismgate's Vimana validating webhook (every Vimana rule)",
              idleRssMiB: own.prismgateIdleRssMiB,
              steps: own.prismgate,
            },
            {
              gate: 'floor',
              form: 'a bare fastify HTTPS server that parses and allows',
              steps: own.floor,
            },
          ];
          for (const gate of started.gates) {
            // Gatekeeper's constraints select their template by the namespace's label.
            const namespace = await vimanaNamespace(client, `bench-webhook-${gate.gate}`, {
              [OPT_OUT_LABEL]: 'true',
              [GATE_LABEL]: gate.gate,
            });
            const peerJob = (connections: number): LoadJob => ({
              ...job(connections),
              port: gate.port,
              path: gate.path,
              caPem: gate.caBundle,
              servername: serviceHost(gate),
              body: componentCreateReview(namespace),
              serverPid: gate.pid,
              requests: sized({
                full: Math.min(20_000, 3_000 * connections),
                quick: 500 * Math.min(connections, 4),
              }),
              // Some peers answer a few hundred reviews a second here: a warm-up they finish in a second or two.
              warmup: sized({ full: 200, quick: 50 }) + 2 * connections,
              maxMs: sized({ full: 10_000, quick: 4_000 }),
            });
            const idleRssMiB = rssMiB(gate.pid);
            const gateSteps: LoadStep[] = [];
            try {
              for (const connections of PEER_CONNECTIONS)
                gateSteps.push(
                  await measure(`${gate.gate}, ${connections} connections`, peerJob(connections), false),
                );
              gateSteps.push(
                await measure(
                  `${gate.gate}, ${TARGET_CONNECTIONS} connections paced at ${PEER_PACED_RATE}`,
                  pacedAt(peerJob(TARGET_CONNECTIONS)),
                  false,
                ),
              );
              gates.push({ gate: gate.gate, form: gate.form, idleRssMiB, steps: gateSteps });
            } catch (error) {
              // A gate that cannot take a step's load is reported with what it did take; the others still run.
              progress(`  ${gate.gate}: ${String(error)}`);
              gates.push({
                gate: gate.gate,
                form: gate.form,
                idleRssMiB,
                steps: gateSteps,
                error: String(error),
              });
            }
          }
          return { pacedRate: PEER_PACED_RATE, gates, unavailable: started.unavailable };
        } finally {
          await started.stop();
        }
      };
      const steps: LoadStep[] = [];
      for (const connections of CONNECTIONS)
        steps.push(await measure(`${connections} connections`, job(connections)));
      const paced = await measure(`${TARGET_CONNECTIONS} connections paced`, {
        ...job(TARGET_CONNECTIONS),
        ratePerSecond: PACED_RATE,
        requests: sized({ full: PACED_RATE * 15, quick: PACED_RATE * 3 }),
        warmup: sized({ full: PACED_RATE * 2, quick: PACED_RATE / 2 }),
        maxMs: sized({ full: 25_000, quick: 6_000 }),
      });
      const bare = await startBareWebhook();
      const floor: LoadStep[] = [];
      const bareJob = (connections: number): LoadJob => ({
        ...job(connections),
        port: bare.port,
        caPem: bare.caBundle,
        serverPid: bare.pid,
      });
      let floorPaced: LoadStep;
      try {
        for (const connections of FLOOR_CONNECTIONS)
          floor.push(await measure(`floor, ${connections} connections`, bareJob(connections), false));
        floorPaced = await measure(
          `floor, ${TARGET_CONNECTIONS} connections paced at ${PEER_PACED_RATE}`,
          pacedAt(bareJob(TARGET_CONNECTIONS)),
          false,
        );
      } finally {
        await bare.stop();
      }
      const prismgatePaced = await measure(
        `${TARGET_CONNECTIONS} connections paced at ${PEER_PACED_RATE}`,
        pacedAt(job(TARGET_CONNECTIONS)),
      );
      const peers = await comparePeers({
        prismgate: [...PEER_CONNECTIONS.map((c) => steps.find((s) => s.connections === c)!), prismgatePaced],
        floor: [...floor, floorPaced],
        prismgateIdleRssMiB: idle.rssMiB,
      });
      const saturated = steps.find((step) => step.connections === TARGET_CONNECTIONS)!;
      const saturatedFloor = floor.find((step) => step.connections === TARGET_CONNECTIONS)!;
      const at = (step: LoadStep) => `${step.connections} conn.`;
      return {
        review: 'Component CREATE, POST /validate/vimana, keep-alive HTTPS over loopback',
        prismgateIdle: idle,
        steps,
        paced,
        floor,
        peers,
        targets: [
          {
            figure: `webhook p99 at ${TARGET_CONNECTIONS} connections, closed loop (saturated)`,
            target: `< ${TARGET_P99_MS} ms`,
            measured: formatMs(saturated.latency.p99Ms),
            met: saturated.failures === 0 && saturated.latency.p99Ms < TARGET_P99_MS,
            note:
              `at ${saturated.requestsPerSecond} req/s, prismgate ${saturated.prismgate.cpuCores} cores, ${saturated.cpuMicrosPerRequest} µs CPU per review: a closed loop waits ${TARGET_CONNECTIONS} / throughput = ${formatMs((TARGET_CONNECTIONS / saturated.requestsPerSecond) * 1000)} on average (Little's law). ` +
              `The floor (bare fastify HTTPS, parse and allow) in the same run: p99 ${formatMs(saturatedFloor.latency.p99Ms)} at ${saturatedFloor.requestsPerSecond} req/s, ${saturatedFloor.cpuMicrosPerRequest} µs CPU per review; prismgate's p99 is ${ratio(saturated.latency.p99Ms, saturatedFloor.latency.p99Ms)}x its p99`,
          },
          {
            figure: `webhook p99 at ${TARGET_CONNECTIONS} connections, paced at ${PACED_RATE.toLocaleString('en-US')} req/s`,
            target: `< ${TARGET_P99_MS} ms`,
            measured: formatMs(paced.latency.p99Ms),
            met: paced.failures === 0 && paced.latency.p99Ms < TARGET_P99_MS,
            note: `answered ${paced.requestsPerSecond} req/s; a request its connection could not send on time counts from its scheduled time`,
          },
          {
            figure: `webhook CPU per review over the bare floor's, ${TARGET_CONNECTIONS} connections closed loop`,
            target: `≤ ${TARGET_CPU_OVER_FLOOR}x`,
            measured: `${ratio(saturated.cpuMicrosPerRequest, saturatedFloor.cpuMicrosPerRequest)}x`,
            met:
              ratio(saturated.cpuMicrosPerRequest, saturatedFloor.cpuMicrosPerRequest) <=
              TARGET_CPU_OVER_FLOOR,
            note: `prismgate ${saturated.cpuMicrosPerRequest} µs, the floor ${saturatedFloor.cpuMicrosPerRequest} µs per review (process CPU from /proc, all threads)`,
          },
        ],
        growth: [
          growth(
            'webhook p99 (closed loop)',
            'ms',
            steps.map((step) => ({ size: at(step), value: step.latency.p99Ms })),
          ),
          growth(
            'webhook throughput (closed loop)',
            'req/s',
            steps.map((step) => ({ size: at(step), value: step.requestsPerSecond })),
          ),
          growth(
            'prismgate CPU per review',
            'µs',
            steps.map((step) => ({ size: at(step), value: step.cpuMicrosPerRequest })),
          ),
          growth(
            'prismgate peak RSS',
            'MiB',
            steps.map((step) => ({ size: at(step), value: step.prismgate.rssMiB.peak })),
          ),
        ],
      };
    } finally {
      await stop();
    }
  },
};
