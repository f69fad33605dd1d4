/**
 * OPA Gatekeeper v3.23 (`github.com/open-policy-agent/gatekeeper/v3`, the controller-manager), built from
 * its Go module and run out of cluster as its release manifest runs the webhook pods
 * (`--operation=webhook`, `--disable-opa-builtin={http.send}`; plus `--operation=generate`, the audit pod's
 * job of creating each template's constraint CRD), enforcing the Vimana rules twice over, as two gates of
 * one process:
 *
 * - gatekeeper-rego: a ConstraintTemplate in Rego (templates/vimana.rego), the classic form;
 * - gatekeeper-cel:  a ConstraintTemplate in CEL (engine K8sNativeValidation), the very expressions of the
 *                    CEL comparison (peers/cel-rules.ts), each guarded by the kind it is about.
 *
 * Each template has one Constraint for the four Vimana kinds, scoped by namespaceSelector to its gate's
 * namespaces, so a review is judged by one template only.
 *
 * Out of cluster it needs its CRDs (from deploy/gatekeeper.yaml of its module), a namespace (POD_NAMESPACE)
 * and a serving certificate: `--disable-cert-rotation` with the benchmark's certificate in `--cert-dir`, as
 * a cluster using its own certificates runs it (Gatekeeper never registers webhooks itself; its manifests
 * do, and here the benchmark does, like prismgate's). `--default-create-vap-for-templates=false` and its
 * binding twin keep the CEL template in Gatekeeper's webhook: by default Gatekeeper would also hand it to
 * kube-apiserver as a ValidatingAdmissionPolicy, which the CEL gate measures already. `--shutdown-delay=0`:
 * the 10 s delay is for a pod's endpoints to drop it, and there are none.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as patterns from '../../features/vimana/patterns.ts';
import type { KubeObject } from '../../pkg/kube/types.ts';
import {
  applyManifest,
  createNamespace,
  deleteNamespaces,
  kubectl,
  untilCrdEstablished,
} from '../support/cluster.ts';
import { CEL_RULES } from './cel-rules.ts';
import { goModuleBinary, type GoModuleBuild } from './go-module.ts';
import { isCrd, readManifests } from './manifests.ts';
import type { GateEndpoint, Peer, RunningPeer } from './peer.ts';
import { freePort, PeerProcess, servingTls, untilDenies } from './peer-process.ts';
import { GATE_LABEL } from './registration.ts';

const VERSION = 'v3.23.1';
const BUILD: GoModuleBuild = {
  name: 'gatekeeper',
  module: 'github.com/open-policy-agent/gatekeeper/v3',
  version: VERSION,
  mainPackage: '.',
  ldflags: [`-X github.com/open-policy-agent/gatekeeper/v3/pkg/version.Version=${VERSION}`],
};
const SERVICE = 'gatekeeper-webhook-service';
const START_TIMEOUT_MS = 120_000;
const REGO_SOURCE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'gatekeeper', 'vimana.rego');
const VIMANA_KINDS = ['Vimana', 'Domain', 'Server', 'Component'];

/** A Rego raw string of a pattern (Go's RE2 reads prismgate's patterns as they are). */
const regoPattern = (regex: RegExp) => `\`${regex.source}\``;

/** templates/vimana.rego with prismgate's patterns filled in (`{{VERSION}}` …). */
function regoSource(): string {
  const values: Record<string, string> = {
    VERSION: regoPattern(patterns.VERSION),
    SERVER_ID: regoPattern(patterns.SERVER_ID),
    DOMAIN_ID: regoPattern(patterns.DOMAIN_ID),
    GRPC_SERVICE: regoPattern(patterns.GRPC_SERVICE),
    HOSTNAME: regoPattern(patterns.HOSTNAME),
    VIMANA_NAME: regoPattern(patterns.VIMANA_NAME),
    CANONICAL_SUFFIX: JSON.stringify(patterns.CANONICAL_SUFFIX),
  };
  return readFileSync(REGO_SOURCE, 'utf8').replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${REGO_SOURCE}: unknown placeholder ${name}`);
    return value;
  });
}

interface TemplateForm {
  gate: string;
  kind: string;
  form: string;
  /** The template's admission target, less its name: the policy in this form. */
  target(): Record<string, unknown>;
}

const FORMS: TemplateForm[] = [
  {
    gate: 'gatekeeper-rego',
    kind: 'BenchVimanaRego',
    form: `Gatekeeper ${VERSION}: a ConstraintTemplate in Rego`,
    target: () => ({ rego: regoSource() }),
  },
  {
    gate: 'gatekeeper-cel',
    kind: 'BenchVimanaCel',
    form: `Gatekeeper ${VERSION}: a ConstraintTemplate in CEL (K8sNativeValidation)`,
    target: () => ({
      code: [
        {
          engine: 'K8sNativeValidation',
          source: {
            validations: Object.values(CEL_RULES).flatMap(({ kind, validations }) =>
              validations.map(({ expression, message }) => ({
                expression: `object.kind != '${kind}' || (${expression})`,
                message,
              })),
            ),
          },
        },
      ],
    }),
  },
];

function template(form: TemplateForm): KubeObject {
  return {
    apiVersion: 'templates.gatekeeper.sh/v1',
    kind: 'ConstraintTemplate',
    metadata: { name: form.kind.toLowerCase() },
    spec: {
      crd: { spec: { names: { kind: form.kind } } },
      targets: [{ target: 'admission.k8s.gatekeeper.sh', ...form.target() }],
    },
  };
}

function constraint(form: TemplateForm): KubeObject {
  return {
    apiVersion: 'constraints.gatekeeper.sh/v1beta1',
    kind: form.kind,
    metadata: { name: 'bench-vimana' },
    spec: {
      enforcementAction: 'deny',
      match: {
        kinds: [{ apiGroups: ['api.vimana.host'], kinds: VIMANA_KINDS }],
        namespaceSelector: { matchLabels: { [GATE_LABEL]: form.gate } },
      },
    },
  };
}

export const gatekeeper: Peer = {
  name: 'gatekeeper',
  version: VERSION,
  async prepare(log) {
    await goModuleBinary(BUILD, log);
  },
  async start(context) {
    const { client, kubeconfig } = context;
    const { binary, sourceDir } = await goModuleBinary(BUILD, context.log);
    await applyManifest(
      kubeconfig,
      readManifests([path.join(sourceDir, 'deploy', 'gatekeeper.yaml')]).filter(isCrd),
    );
    const suffix = randomBytes(3).toString('hex');
    const namespace = await createNamespace(client, `bench-gatekeeper-${suffix}`);
    // Namespaces its constraints apply to, for the readiness probe of each gate.
    const probes = await Promise.all(
      FORMS.map((form) =>
        createNamespace(client, `${form.gate}-probe-${suffix}`, { [GATE_LABEL]: form.gate }),
      ),
    );
    const service = { namespace, name: SERVICE };
    const tls = servingTls('gatekeeper', service);
    const certDir = mkdtempSync(path.join(tmpdir(), 'prismgate-gatekeeper-certs-'));
    writeFileSync(path.join(certDir, 'tls.crt'), tls.serving.certPem);
    writeFileSync(path.join(certDir, 'tls.key'), tls.serving.keyPem);
    writeFileSync(path.join(certDir, 'ca.crt'), tls.ca.certPem);
    const port = await freePort();
    const process_ = PeerProcess.spawn(
      'gatekeeper',
      binary,
      [
        `--port=${port}`,
        '--host=127.0.0.1',
        `--cert-dir=${certDir}`,
        '--disable-cert-rotation',
        `--health-addr=127.0.0.1:${await freePort()}`,
        `--prometheus-port=${await freePort()}`,
        '--operation=webhook',
        // The audit pod's job in the release manifest: it creates the constraint CRD of each template.
        '--operation=generate',
        '--logtostderr',
        '--disable-opa-builtin={http.send}',
        '--default-create-vap-for-templates=false',
        '--default-create-vap-binding-for-constraints=false',
        '--shutdown-delay=0',
        // Gatekeeper's own flag for running outside a pod: its status objects then name no Pod.
        '--debug-use-fake-pod',
      ],
      {
        env: {
          ...process.env,
          KUBECONFIG: kubeconfig,
          POD_NAMESPACE: namespace,
          CONTAINER_NAME: 'manager',
        },
      },
    );
    const gates: GateEndpoint[] = FORMS.map((form) => ({
      gate: form.gate,
      form: form.form,
      port,
      path: '/v1/admit',
      caBundle: tls.ca.certPem,
      service,
    }));
    const stop = async () => {
      for (const form of FORMS)
        await kubectl(
          kubeconfig,
          'delete',
          'constrainttemplate',
          form.kind.toLowerCase(),
          '--ignore-not-found',
        ).catch(() => undefined);
      await process_.stop();
      rmSync(certDir, { recursive: true, force: true });
      await deleteNamespaces(client, [namespace, ...probes]).catch(() => undefined);
    };
    try {
      await applyManifest(kubeconfig, FORMS.map(template));
      for (const form of FORMS)
        await untilCrdEstablished(
          kubeconfig,
          `${form.kind.toLowerCase()}.constraints.gatekeeper.sh`,
          START_TIMEOUT_MS,
        );
      await applyManifest(kubeconfig, FORMS.map(constraint));
      for (const [i, gate] of gates.entries())
        await untilDenies(process_, gate, probes[i]!, START_TIMEOUT_MS);
      return { pid: process_.pid, gates, stop } satisfies RunningPeer;
    } catch (error) {
      const output = process_.lastOutput();
      await stop();
      throw new Error(`${(error as Error).message}\nGatekeeper's last output:\n${output}`);
    }
  },
};
