/**
 * The policy engine's cost per review with 0, 10 and 100 matching policies installed, measured in one
 * run: the webhook's latency for a ConfigMap CREATE review (POST /validate/policies over keep-alive HTTPS,
 * one connection, so each figure is one review's latency), and the engine's own evaluation time for the
 * same review in-process (no HTTP), each with its ratio to 0 policies.
 *
 * Every policy matches the review and runs what a typical policy runs: a presence check, an RE2 pattern
 * and a length limit on labels, a forEach over the data keys and a small JSON Schema. All pass, so the
 * review is admitted and no policy is skipped early.
 *
 * Target (issue 4): 100 matching policies add under 2 ms p99 per review.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeClient } from '../../pkg/kube/kube-client.ts';
import { collectionPath, objectPath } from '../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../pkg/kube/types.ts';
import {
  matchingPolicies,
  validateWith,
  type ObjectUnderReview,
} from '../../features/policy/engine/evaluate.ts';
import {
  compilePolicy,
  POLICY_API_VERSION,
  type CompiledPolicy,
} from '../../features/policy/engine/policy.ts';
import { CLUSTER_POLICIES } from '../../features/policy/resource-types.ts';
import type { Scenario, ScenarioResult } from '../scenario.ts';
import { createReview } from '../support/admission-review.ts';
import { createNamespace, deleteNamespaces, until } from '../support/cluster.ts';
import { formatMs } from '../support/format.ts';
import { growth } from '../support/growth.ts';
import { measureLoad, type LoadStep } from '../support/http-load.ts';
import { roundMs, summarize, type LatencySummary } from '../support/latency-summary.ts';
import { startScenario } from '../support/scenario-setup.ts';

const COUNTS = [0, 10, 100] as const;
const ADDED_P99_TARGET_MS = 2;
const NAMESPACE = 'bench-policies';
const configMap: KubeObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name: 'bench',
    namespace: NAMESPACE,
    labels: { team: 'payments', tier: 'web', 'app.kubernetes.io/name': 'bench' },
  },
  data: { mode: 'fast', region: 'eu', size: '3' },
};

function benchPolicy(index: number): KubeObject {
  return {
    apiVersion: POLICY_API_VERSION,
    kind: 'ClusterAdmissionPolicy',
    metadata: {
      name: `bench-${String(index).padStart(3, '0')}`,
      labels: { 'bench.prismgate.kappnav.io/scenario': 'policies' },
    },
    spec: {
      action: 'Enforce',
      background: false,
      match: { resources: [{ apiGroups: [''], kinds: ['ConfigMap'] }] },
      validate: [
        {
          name: 'labels',
          assert: [
            { path: "$.metadata.labels['team']", operator: 'Exists' },
            { path: "$.metadata.labels['team']", operator: 'Matches', value: '^[a-z][a-z0-9-]{0,62}$' },
            { path: '$.metadata.name', operator: 'MaxLength', value: 63 },
          ],
        },
        { name: 'data-keys', forEach: '$.data.*~', assert: [{ operator: 'Matches', value: '^[a-z]+$' }] },
        {
          name: 'schema',
          schema: {
            type: 'object',
            properties: {
              data: { type: 'object', additionalProperties: { type: 'string', maxLength: 1024 } },
            },
          },
        },
      ],
    },
  };
}

function benchPolicies(client: KubeClient): Promise<{ items: KubeObject[] }> {
  return client.request('GET', collectionPath(CLUSTER_POLICIES), {
    query: { labelSelector: 'bench.prismgate.kappnav.io/scenario=policies' },
  });
}

interface BenchPolicyStatus {
  observedGeneration?: number;
  audit?: { pass?: number };
}

/**
 * Waits until exactly `count` bench policies exist and each one's status shows `shown`, then for the
 * status and report writers' debounce (a second) to pass, so that none of their writes fall into the
 * measurement that follows.
 */
async function untilEveryPolicyShows(
  client: KubeClient,
  count: number,
  what: string,
  shown: (status: BenchPolicyStatus) => boolean,
): Promise<void> {
  await until(
    what,
    async () => {
      const { items } = await benchPolicies(client);
      const showing = items.filter((p) => shown((p['status'] as BenchPolicyStatus | undefined) ?? {}));
      return items.length === count && showing.length === count;
    },
    120_000,
  );
  await sleep(2000);
}

/** Installs exactly `count` bench policies and waits until prismgate has compiled them and written their status. */
async function installPolicies(client: KubeClient, count: number): Promise<void> {
  const existing = await benchPolicies(client);
  for (const policy of existing.items.slice(count))
    await client.request('DELETE', objectPath(CLUSTER_POLICIES, undefined, policy.metadata?.name ?? ''));
  for (let i = existing.items.length; i < count; i++)
    await client.request('POST', collectionPath(CLUSTER_POLICIES), { body: benchPolicy(i) });
  await untilEveryPolicyShows(
    client,
    count,
    `prismgate to take up ${count} policies`,
    (status) => !!status.observedGeneration,
  );
}

/**
 * The first review a new policy passes changes its findings, so prismgate then writes every such policy's
 * status (`audit.pass` 0 → 1) and the namespace's PolicyReport, once, after a debounce: a burst of API
 * writes caused by installing the policies, not by admission. It runs here, before the measurement,
 * which is of admission in steady state (the same review again: the findings do not change).
 */
async function settleFirstFindings(client: KubeClient, count: number, review: () => Promise<unknown>) {
  if (count === 0) return;
  await review();
  await untilEveryPolicyShows(
    client,
    count,
    `the ${count} policies to show the review in their status`,
    (status) => (status.audit?.pass ?? 0) > 0,
  );
}

export interface EngineFigures {
  latency: LatencySummary;
  /** CPU per review of this process over the loop: unlike the latency, not lengthened by other processes. */
  cpuMicrosPerReview: number;
}

/** The engine alone: matching and validating the review's object with `policies`, in-process. */
function engineFigures(count: number, iterations: number): EngineFigures {
  const policies: CompiledPolicy[] = Array.from({ length: count }, (_, i) => {
    const compiled = compilePolicy({
      ...benchPolicy(i),
      metadata: { ...benchPolicy(i).metadata, generation: 1 },
    });
    if (!compiled.ok) throw new Error(compiled.problems.join('; '));
    return compiled.policy;
  });
  const input: ObjectUnderReview = {
    group: '',
    kind: 'ConfigMap',
    operation: 'CREATE',
    namespace: NAMESPACE,
    clusterScoped: false,
    name: 'bench',
    object: configMap,
    namespaceLabels: () => undefined,
  };
  const latencies: number[] = [];
  let cpu = process.cpuUsage();
  for (let i = 0; i < iterations; i++) {
    // The first tenth warms the JIT.
    if (i === iterations / 10) cpu = process.cpuUsage();
    const started = performance.now();
    for (const policy of matchingPolicies(policies, input)) validateWith(policy, input);
    latencies.push(performance.now() - started);
  }
  const used = process.cpuUsage(cpu);
  const measured = latencies.slice(iterations / 10);
  return {
    latency: summarize(measured),
    cpuMicrosPerReview: Math.round(((used.user + used.system) / measured.length) * 10) / 10,
  };
}

export interface PolicyStep {
  policies: number;
  /** The review through prismgate's webhook (HTTPS, one connection). */
  webhook: LoadStep;
  /** The engine alone, in this process. */
  engine: EngineFigures;
  webhookAddedP99Ms: number;
  engineAddedP99Ms: number;
}

export interface PoliciesResult extends ScenarioResult {
  review: string;
  steps: PolicyStep[];
}

export const scenario: Scenario = {
  name: 'policies',
  description:
    'Admission latency per review with 0, 10 and 100 matching policies (webhook over HTTPS and engine in-process), added to 0',
  async run(context): Promise<PoliciesResult> {
    const { progress, sized } = context;
    const { client, prismgate, stop } = await startScenario(context, 'policies');
    try {
      // The review's namespace exists, as it would: prismgate writes its PolicyReport there.
      await createNamespace(client, NAMESPACE);
      const steps: PolicyStep[] = [];
      for (const count of COUNTS) {
        progress(`${count} policies`);
        await installPolicies(client, count);
        await prismgate.settle();
        const load = {
          port: prismgate.webhookPort,
          path: '/validate/policies',
          caPem: prismgate.caBundle,
          body: createReview(configMap, {
            group: '',
            version: 'v1',
            kind: 'ConfigMap',
            resource: 'configmaps',
          }),
          expect: '"allowed":true',
          connections: 1,
          maxMs: 30_000,
          serverPid: prismgate.pid,
        };
        await settleFirstFindings(client, count, () => measureLoad({ ...load, requests: 200, warmup: 0 }));
        const webhook = await prismgate.profile(`${count}-policies`, () =>
          measureLoad({
            ...load,
            requests: sized({ full: 5_000, quick: 1_000 }),
            warmup: sized({ full: 500, quick: 200 }),
          }),
        );
        const engine = engineFigures(count, sized({ full: 5_000, quick: 1_000 }));
        const baseline = steps[0] ?? { webhook, engine };
        steps.push({
          policies: count,
          webhook,
          engine,
          webhookAddedP99Ms: roundMs(webhook.latency.p99Ms - baseline.webhook.latency.p99Ms),
          engineAddedP99Ms: roundMs(engine.latency.p99Ms - baseline.engine.latency.p99Ms),
        });
        progress(
          `  webhook p99 ${formatMs(webhook.latency.p99Ms)}, engine p99 ${formatMs(engine.latency.p99Ms)}, ${engine.cpuMicrosPerReview} µs CPU`,
        );
      }
      const hundred = steps.at(-1)!;
      const size = (step: PolicyStep) => `${step.policies} policies`;
      return {
        review:
          'ConfigMap CREATE, POST /validate/policies, one keep-alive HTTPS connection; engine: match + validate in-process',
        steps,
        targets: [
          {
            figure: `p99 added by ${hundred.policies} matching policies (webhook)`,
            target: `< ${ADDED_P99_TARGET_MS} ms`,
            measured: formatMs(hundred.webhookAddedP99Ms),
            met: hundred.webhook.failures === 0 && hundred.webhookAddedP99Ms < ADDED_P99_TARGET_MS,
            note: `the engine alone adds ${formatMs(hundred.engineAddedP99Ms)} p99 and ${Math.round(hundred.engine.cpuMicrosPerReview - steps[0]!.engine.cpuMicrosPerReview)} µs CPU per review (in-process, no HTTP)`,
          },
        ],
        growth: [
          growth(
            'webhook p99',
            'ms',
            steps.map((s) => ({ size: size(s), value: s.webhook.latency.p99Ms })),
          ),
          growth(
            'engine p99',
            'ms',
            steps.map((s) => ({ size: size(s), value: s.engine.latency.p99Ms })),
          ),
          growth(
            'engine CPU per review',
            'µs',
            steps.map((s) => ({ size: size(s), value: s.engine.cpuMicrosPerReview })),
          ),
          growth(
            'prismgate CPU per review',
            'µs',
            steps.map((s) => ({ size: size(s), value: s.webhook.cpuMicrosPerRequest })),
          ),
        ],
      };
    } finally {
      await installPolicies(client, 0).catch(() => undefined);
      await deleteNamespaces(client, [NAMESPACE]);
      await stop();
    }
  },
};
