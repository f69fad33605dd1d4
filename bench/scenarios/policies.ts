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
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { KubeClient } from '../../pkg/kube/kube-client.ts';
import { collectionPath, objectPath } from '../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../pkg/kube/types.ts';
import { matchingPolicies, validateWith, type ObjectUnderReview } from '../../pkg/policy/evaluate.ts';
import { loadManifests } from '../../pkg/policy/manifest-files.ts';
import { compilePolicy, POLICY_API_VERSION, type CompiledPolicy } from '../../pkg/policy/policy.ts';
import { loadKubeConfig, Prismgate } from '../../src/prismgate.ts';
import { policyFeature } from '../../webhook/policy/policy-feature.ts';
import { CLUSTER_POLICIES } from '../../webhook/policy/resource-types.ts';
import type { Scenario } from '../scenario.ts';
import { summarize } from './admission/latency-summary.ts';
import { measureWebhook } from './admission/webhook-latency.ts';

const COUNTS = [0, 10, 100] as const;
const ADDED_P99_TARGET_MS = 2;
const CRD_FILES = [
  'policies.prismgate.kappnav.io_clusteradmissionpolicies.yaml',
  'policies.prismgate.kappnav.io_admissionpolicies.yaml',
  'wgpolicyk8s.io_policyreports.yaml',
  'wgpolicyk8s.io_clusterpolicyreports.yaml',
];
const CRD_DIR = new URL('../../manifests/crds/', import.meta.url).pathname;

const configMap: KubeObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name: 'bench',
    namespace: 'bench-policies',
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

function review(object: KubeObject): string {
  return JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: 'bench',
      kind: { group: '', version: 'v1', kind: 'ConfigMap' },
      resource: { group: '', version: 'v1', resource: 'configmaps' },
      name: object.metadata?.name,
      namespace: object.metadata?.namespace,
      operation: 'CREATE',
      userInfo: { username: 'bench' },
      object,
      dryRun: false,
    },
  });
}

async function installCrds(client: KubeClient): Promise<void> {
  for (const { object } of loadManifests(CRD_FILES.map((file) => `${CRD_DIR}${file}`)).objects) {
    await client.request(
      'PATCH',
      `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${object.metadata?.name}`,
      {
        body: object,
        contentType: 'application/apply-patch+yaml',
        query: { fieldManager: 'bench', force: true },
      },
    );
  }
  await sleep(2000);
}

function benchPolicies(client: KubeClient): Promise<{ items: KubeObject[] }> {
  return client.request('GET', collectionPath(CLUSTER_POLICIES), {
    query: { labelSelector: 'bench.prismgate.kappnav.io/scenario=policies' },
  });
}

/**
 * Installs exactly `count` bench policies and waits until prismgate has compiled them and written their
 * status, so that no status writes of its own run during the measurement.
 */
async function installPolicies(client: KubeClient, count: number): Promise<void> {
  const existing = await benchPolicies(client);
  for (const policy of existing.items.slice(count))
    await client.request('DELETE', objectPath(CLUSTER_POLICIES, undefined, policy.metadata?.name ?? ''));
  for (let i = existing.items.length; i < count; i++)
    await client.request('POST', collectionPath(CLUSTER_POLICIES), { body: benchPolicy(i) });
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const { items } = await benchPolicies(client);
    const settled = items.filter(
      (p) => (p['status'] as { observedGeneration?: number } | undefined)?.observedGeneration,
    );
    if (items.length === count && settled.length === count) return sleep(2000);
    await sleep(250);
  }
  throw new Error(`prismgate did not take up ${count} policies within 120 s`);
}

/** The engine alone: matching and validating the review's object with `policies`, in-process. */
function engineLatency(policies: readonly CompiledPolicy[], iterations: number) {
  const input: ObjectUnderReview = {
    group: '',
    kind: 'ConfigMap',
    operation: 'CREATE',
    namespace: 'bench-policies',
    name: 'bench',
    object: configMap,
    namespaceLabels: () => undefined,
  };
  const latencies: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    for (const policy of matchingPolicies(policies, input)) validateWith(policy, input);
    latencies.push(performance.now() - started);
  }
  return summarize(latencies.slice(iterations / 10));
}

export const scenario: Scenario = {
  name: 'policies',
  description:
    'Admission latency per review with 0, 10 and 100 matching policies (webhook over HTTPS and engine in-process), ratio to 0',
  async run({ controlPlane, progress }) {
    const kubeConfig = loadKubeConfig(controlPlane.kubeconfig);
    const client = new KubeClient(kubeConfig);
    await installCrds(client);
    const prismgate = await Prismgate.start({
      kubeConfig,
      features: [policyFeature()],
      log: pino({ level: 'warn' }),
      host: '127.0.0.1',
      webhookPort: 0,
      apiPort: 0,
      // Local registration creates prismgate's namespace (its certificates and lease live there).
      registration: 'local',
      deregisterOnStop: true,
    });
    const results: Record<string, unknown> = {};
    // Other work on the machine shows in the p99s; the load average says how much there was.
    const loadAtStart = loadavg()[0];
    try {
      while (!prismgate.ready()) await sleep(100);
      const body = review(configMap);
      let baseline: { webhookP99Ms: number; engineP99Ms: number } | undefined;
      for (const count of COUNTS) {
        progress(`${count} policies`);
        await installPolicies(client, count);
        const webhook = await measureWebhook({
          port: prismgate.webhookPort,
          path: '/validate/policies',
          caPem: prismgate.caBundle,
          body,
          connections: 1,
          requests: 3_000,
          warmup: 300,
          maxMs: 30_000,
        });
        const policies = Array.from({ length: count }, (_, i) => {
          const compiled = compilePolicy({
            ...benchPolicy(i),
            metadata: { ...benchPolicy(i).metadata, generation: 1 },
          });
          if (!compiled.ok) throw new Error(compiled.problems.join('; '));
          return compiled.policy;
        });
        const engine = engineLatency(policies, 5_000);
        baseline ??= { webhookP99Ms: webhook.p99Ms, engineP99Ms: engine.p99Ms };
        results[`policies${count}`] = {
          webhook,
          engine,
          webhookP99Ratio: Math.round((webhook.p99Ms / baseline.webhookP99Ms) * 100) / 100,
          webhookAddedP99Ms: Math.round((webhook.p99Ms - baseline.webhookP99Ms) * 1000) / 1000,
          engineAddedP99Ms: Math.round((engine.p99Ms - baseline.engineP99Ms) * 1000) / 1000,
        };
      }
      const hundred = results['policies100'] as { webhookAddedP99Ms: number };
      return {
        review:
          'ConfigMap CREATE, POST /validate/policies, one keep-alive HTTPS connection; engine: match + validate in-process',
        ...results,
        loadAverage1m: { atStart: loadAtStart, atEnd: loadavg()[0] },
        targetAddedP99Ms: ADDED_P99_TARGET_MS,
        meetsTarget: hundred.webhookAddedP99Ms < ADDED_P99_TARGET_MS,
      };
    } finally {
      await installPolicies(client, 0).catch(() => undefined);
      await prismgate.stop();
      client.close();
    }
  },
};
