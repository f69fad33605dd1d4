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
 * Target (issue 3): p99 under 5 ms at 32 connections.
 */
import type { Scenario, ScenarioResult } from '../scenario.ts';
import { formatMs } from '../support/format.ts';
import { growth } from '../support/growth.ts';
import { measureLoad, type LoadStep } from '../support/http-load.ts';
import { ratio } from '../support/latency-summary.ts';
import type { LoadJob } from '../support/load-generator.ts';
import { startBareWebhook } from '../support/bare-webhook.ts';
import type { HostMemory } from '../support/prismgate-process.ts';
import { startScenario } from '../support/scenario-setup.ts';
import { componentCreateReview } from './admission/review.ts';
import { vimanaNamespace } from './admission/vimana-namespace.ts';

const CONNECTIONS = [1, 8, 32, 128];
const TARGET_CONNECTIONS = 32;
const FLOOR_CONNECTIONS = [1, TARGET_CONNECTIONS];
const TARGET_P99_MS = 5;
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
}

export const scenario: Scenario = {
  name: 'webhook',
  description:
    'Vimana validating webhook alone at 1/8/32/128 keep-alive HTTPS connections (closed loop) and paced at 32: req/s, latency, CPU, RSS',
  async run(context): Promise<WebhookResult> {
    const { progress, sized } = context;
    const { client, prismgate, stop } = await startScenario(context, 'webhook');
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
      try {
        for (const connections of FLOOR_CONNECTIONS)
          floor.push(
            await measure(
              `floor, ${connections} connections`,
              { ...job(connections), port: bare.port, caPem: bare.caBundle, serverPid: bare.pid },
              false,
            ),
          );
      } finally {
        await bare.stop();
      }
      const saturated = steps.find((step) => step.connections === TARGET_CONNECTIONS)!;
      const saturatedFloor = floor.find((step) => step.connections === TARGET_CONNECTIONS)!;
      const at = (step: LoadStep) => `${step.connections} conn.`;
      return {
        review: 'Component CREATE, POST /validate/vimana, keep-alive HTTPS over loopback',
        prismgateIdle: idle,
        steps,
        paced,
        floor,
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
