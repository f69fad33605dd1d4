/**
 * Kyverno v1.19 (`github.com/kyverno/kyverno/cmd/kyverno`, the admission controller), built from its Go
 * module and run out of cluster with its own out-of-cluster flags (`-kubeconfig`, `-serverIP`), enforcing
 * the Vimana rules (peers/cel-rules.ts: the very expressions of the CEL comparison) in both of its native
 * forms, one gate each from the one process:
 * - `kyverno`: a ClusterPolicy with a CEL validate rule per kind, the form most clusters run today. Kyverno
 *   compiles a validate.cel rule's expressions on every review (its validate_cel.go handler builds a new
 *   compiler in `Process`), so this gate costs milliseconds of CPU per review;
 * - `kyverno-vpol`: a ValidatingPolicy per kind (policies.kyverno.io/v1), the CEL-native policy type Kyverno
 *   added in 1.14, compiled once when the policy changes.
 *
 * What it needs out of cluster, as its Helm chart provides in cluster: its CRDs (config/crds of its
 * module: kyverno.io, policies.kyverno.io, reports.kyverno.io), a namespace, its ConfigMap, the
 * environment the chart's Deployment sets (KYVERNO_NAMESPACE, KYVERNO_SVC, …) and the chart's flags. It
 * generates its own CA and serving certificate (Secrets in its namespace, for `kyverno-svc.<ns>.svc` and
 * the -serverIP address) and registers webhooks itself, as in cluster.
 *
 * Its registration is not the comparison's, though: every gate is registered like prismgate
 * (registration.ts), here at Kyverno's `/validate/fail` path with the CA from Kyverno's CA Secret. Kyverno's
 * own resource webhooks are left in place but given a namespaceSelector (its ConfigMap's `webhooks`) that no
 * namespace matches, so each review reaches Kyverno once, through the same scope as prismgate's.
 *
 * Choices that keep the comparison about admission: `-admissionReports=false` (the chart's default writes an
 * EphemeralReport object per admission review, work for the API server that the other gates do not ask
 * for), `-generateValidatingAdmissionPolicy=false` (Kyverno would otherwise hand CEL-only policies to
 * kube-apiserver as ValidatingAdmissionPolicies, and the CEL gate already measures that), and the chart's
 * `-omitEvents=PolicyApplied,PolicySkipped`.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeApiError } from '../../pkg/kube/kube-client.ts';
import type { KubeObject } from '../../pkg/kube/types.ts';
import { applyManifest, createNamespace, deleteNamespaces, kubectl, until } from '../support/cluster.ts';
import { CEL_RULES } from './cel-rules.ts';
import { goModuleBinary, type GoModuleBuild } from './go-module.ts';
import { isCrd, readManifests } from './manifests.ts';
import type { GateEndpoint, Peer, PeerContext, RunningPeer } from './peer.ts';
import { freePort, PeerProcess, untilDenies } from './peer-process.ts';

const VERSION = 'v1.19.1';
const BUILD: GoModuleBuild = {
  name: 'kyverno',
  module: 'github.com/kyverno/kyverno',
  version: VERSION,
  mainPackage: './cmd/kyverno',
  ldflags: [`-X github.com/kyverno/kyverno/pkg/version.BuildVersion=${VERSION}`],
};
const SERVICE = 'kyverno-svc';
const POLICY = 'bench-vimana';
/** The ValidatingPolicies' names: `bench-vimana-component`, … */
const VALIDATING_POLICIES = Object.keys(CEL_RULES).map((kind) => `${POLICY}-${kind}`);
const START_TIMEOUT_MS = 120_000;
/** A label no namespace carries: Kyverno's own resource webhooks then match no namespace. */
const NO_NAMESPACE = { matchLabels: { 'bench.prismgate.kappnav.io/kyverno-own-webhooks': 'never' } };

/** The Vimana rules as Kyverno's native ClusterPolicy: one rule per kind, each a CEL validate. */
export function kyvernoPolicy(): KubeObject {
  return {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: { name: POLICY },
    spec: {
      background: false,
      failurePolicy: 'Fail',
      rules: Object.entries(CEL_RULES).map(([name, { kind, validations }]) => ({
        name,
        match: {
          any: [
            {
              resources: {
                kinds: [`api.vimana.host/v1alpha1/${kind}`],
                operations: ['CREATE', 'UPDATE'],
              },
            },
          ],
        },
        validate: { failureAction: 'Enforce', cel: { expressions: validations } },
      })),
    },
  };
}

/**
 * The Vimana rules as Kyverno's ValidatingPolicies, one per kind: the ValidatingAdmissionPolicy shape that
 * Kyverno itself evaluates. No background scans (the benchmark is about admission), and no
 * ValidatingAdmissionPolicy generated from them (off by default; the CEL gate measures that).
 */
export function kyvernoValidatingPolicies(): KubeObject[] {
  return Object.entries(CEL_RULES).map(([name, { resource, validations }]) => ({
    apiVersion: 'policies.kyverno.io/v1',
    kind: 'ValidatingPolicy',
    metadata: { name: `${POLICY}-${name}` },
    spec: {
      failurePolicy: 'Fail',
      validationActions: ['Deny'],
      evaluation: { background: { enabled: false } },
      matchConstraints: {
        resourceRules: [
          {
            apiGroups: ['api.vimana.host'],
            apiVersions: ['v1alpha1'],
            operations: ['CREATE', 'UPDATE'],
            resources: [resource],
          },
        ],
      },
      validations,
    },
  }));
}

/** The certificate (`tls.crt`) of a Secret Kyverno writes, once it has. */
async function secretCertificate(
  { client }: PeerContext,
  namespace: string,
  secret: string,
): Promise<string> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    try {
      const found = await client.request<{ data?: Record<string, string> }>(
        'GET',
        `/api/v1/namespaces/${namespace}/secrets/${secret}`,
      );
      const pem = found.data?.['tls.crt'];
      if (pem) return Buffer.from(pem, 'base64').toString();
    } catch (error) {
      if (!(error instanceof KubeApiError && error.code === 404)) throw error;
    }
    if (Date.now() > deadline) throw new Error(`Kyverno wrote no CA Secret ${namespace}/${secret}`);
    await sleep(500);
  }
}

export const kyverno: Peer = {
  name: 'kyverno',
  version: VERSION,
  async prepare(log) {
    await goModuleBinary(BUILD, log);
  },
  async start(context) {
    const { client, kubeconfig } = context;
    const { binary, sourceDir } = await goModuleBinary(BUILD, context.log);
    const crds = readManifests(
      ['kyverno', 'policies.kyverno.io', 'reports'].map((group) =>
        path.join(sourceDir, 'config', 'crds', group),
      ),
    ).filter(isCrd);
    await applyManifest(kubeconfig, crds);
    const namespace = await createNamespace(client, `bench-kyverno-${randomBytes(3).toString('hex')}`);
    await client.request('POST', `/api/v1/namespaces/${namespace}/configmaps`, {
      body: {
        metadata: { name: 'kyverno' },
        data: { webhooks: JSON.stringify({ namespaceSelector: NO_NAMESPACE }) },
      },
    });
    const port = await freePort();
    const metricsPort = await freePort();
    const caSecret = `${SERVICE}.${namespace}.svc.kyverno-tls-ca`;
    const tlsSecret = `${SERVICE}.${namespace}.svc.kyverno-tls-pair`;
    const process_ = PeerProcess.spawn(
      'kyverno',
      binary,
      [
        `-kubeconfig=${kubeconfig}`,
        `-serverIP=127.0.0.1:${port}`,
        '-webhookServerHost=127.0.0.1',
        `-webhookServerPort=${port}`,
        `-servicePort=${port}`,
        `-caSecretName=${caSecret}`,
        `-tlsSecretName=${tlsSecret}`,
        '-metricsHost=127.0.0.1',
        `-metricsPort=${metricsPort}`,
        '-controllerRuntimeMetricsAddress=0',
        '-admissionReports=false',
        '-generateValidatingAdmissionPolicy=false',
        '-omitEvents=PolicyApplied,PolicySkipped',
        '-loggingFormat=text',
        '-disableLogColor',
        '-v=2',
      ],
      {
        env: {
          ...process.env,
          KYVERNO_NAMESPACE: namespace,
          KYVERNO_SVC: SERVICE,
          KYVERNO_POD_NAME: 'kyverno-bench',
          KYVERNO_DEPLOYMENT: 'kyverno-admission-controller',
          KYVERNO_SERVICEACCOUNT_NAME: 'kyverno-admission-controller',
          KYVERNO_ROLE_NAME: 'kyverno:admission-controller',
          INIT_CONFIG: 'kyverno',
          METRICS_CONFIG: 'kyverno-metrics',
        },
      },
    );
    const stop = async () => {
      // The policies first, while Kyverno still answers its own policy webhooks.
      await kubectl(kubeconfig, 'delete', 'clusterpolicy', POLICY, '--ignore-not-found').catch(
        () => undefined,
      );
      await kubectl(
        kubeconfig,
        'delete',
        'validatingpolicies.policies.kyverno.io',
        ...VALIDATING_POLICIES,
        '--ignore-not-found',
      ).catch(() => undefined);
      await process_.stop();
      // Kyverno removes its webhook configurations on shutdown; any it left would call a stopped server.
      for (const kind of ['validatingwebhookconfigurations', 'mutatingwebhookconfigurations'])
        await kubectl(kubeconfig, 'delete', kind, '-l', 'webhook.kyverno.io/managed-by=kyverno').catch(
          () => undefined,
        );
      await deleteNamespaces(client, [namespace]).catch(() => undefined);
    };
    try {
      const caBundle = await secretCertificate(context, namespace, caSecret);
      const service = { namespace, name: SERVICE };
      const clusterPolicyGate: GateEndpoint = {
        gate: 'kyverno',
        form: `Kyverno ${VERSION}: a ClusterPolicy, a CEL validate rule per kind`,
        port,
        path: '/validate/fail',
        caBundle,
        service,
      };
      // Kyverno's own path for these policies: `/vpol/` and their names, sorted, as its webhook controller
      // writes it; the handler evaluates the policies named there.
      const validatingPolicyGate: GateEndpoint = {
        gate: 'kyverno-vpol',
        form: `Kyverno ${VERSION}: a ValidatingPolicy per kind`,
        port,
        path: `/vpol/${[...VALIDATING_POLICIES].sort().join('/')}`,
        caBundle,
        service,
      };
      // Kyverno serves with the pair it writes after its CA; its own policy webhooks fail until then.
      await secretCertificate(context, namespace, tlsSecret);
      await until(
        'Kyverno to accept its ClusterPolicy',
        () =>
          applyManifest(kubeconfig, [kyvernoPolicy()]).then(
            () => true,
            () => false,
          ),
        START_TIMEOUT_MS,
        1_000,
      );
      await kubectl(kubeconfig, 'wait', '--for=condition=Ready', `clusterpolicy/${POLICY}`, '--timeout=120s');
      await applyManifest(kubeconfig, kyvernoValidatingPolicies());
      const gates = [clusterPolicyGate, validatingPolicyGate];
      for (const gate of gates) await untilDenies(process_, gate, 'default', START_TIMEOUT_MS);
      return { pid: process_.pid, gates, stop } satisfies RunningPeer;
    } catch (error) {
      const output = process_.lastOutput();
      await stop();
      throw new Error(`${(error as Error).message}\nKyverno's last output:\n${output}`);
    }
  },
};
