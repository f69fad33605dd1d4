/**
 * Every gate of the end-to-end comparison is registered with kube-apiserver as prismgate registers its
 * Vimana webhooks (src/registration.ts): the same declarations — rules, matchConditions, failurePolicy,
 * timeout, matchPolicy, sideEffects — behind an ExternalName Service that resolves to localhost, with the
 * gate's CA bundle (never insecureSkipTLSVerify). Only the name, the Service, the path, the CA and the
 * namespaceSelector differ: a gate judges the namespaces labelled GATE_LABEL=<gate>, which are opted out of
 * prismgate's own webhooks. So a difference between gates is the gate's work, never the scope it was
 * given.
 */
import type { KubeClient } from '../../pkg/kube/kube-client.ts';
import type { KubeObject } from '../../pkg/kube/types.ts';
import {
  apply,
  localService,
  remove,
  webhookConfiguration,
  type RegistrationTarget,
} from '../../src/registration.ts';
import { vimanaEndpoints } from '../../features/vimana/endpoints.ts';
import type { AdmissionEndpoint } from '../../webhook/admission-endpoint.ts';

/** A namespace with GATE_LABEL=<gate> is judged by that gate alone. */
export const GATE_LABEL = 'bench.prismgate.kappnav.io/gate';

/** prismgate's Vimana admission webhooks (not the one on `/status`, which no create or update calls). */
function vimanaAdmissionEndpoints(): AdmissionEndpoint[] {
  return vimanaEndpoints(() => undefined).filter((endpoint) => !endpoint.path.includes('status'));
}

/** A gate's name for one of prismgate's webhooks: `vimana.validate.prismgate.kappnav.io` → `vimana.validate.bench-kyverno.kappnav.io`. */
export const gateWebhookName = (gate: string, name: string) => name.replace('prismgate', `bench-${gate}`);

export interface GateTarget {
  /** `floor`, `kyverno`, `gatekeeper-rego`, …: the label value and the webhooks' names. */
  gate: string;
  /** The Service the API server resolves (ExternalName → localhost); the gate's certificate names it. */
  service: { namespace: string; name: string };
  port: number;
  caBundle: string;
  /**
   * Where the gate validates: prismgate's validating webhook is registered with this path, and the
   * mutating one is left out (a peer enforcing the rules has no mutation). Without it, both of prismgate's
   * webhooks are registered with prismgate's own paths (the floor, which answers any path).
   */
  validatePath?: string;
}

/** The webhook configurations of a gate, in the order to create them. */
export function gateConfigurations(target: GateTarget): KubeObject[] {
  const registration: RegistrationTarget = {
    namespace: target.service.namespace,
    serviceName: target.service.name,
    webhookPort: target.port,
    apiPort: 0,
    caBundlePem: target.caBundle,
  };
  const kinds = target.validatePath
    ? (['ValidatingWebhookConfiguration'] as const)
    : (['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'] as const);
  return kinds.map((kind) => {
    const configuration = webhookConfiguration(kind, vimanaAdmissionEndpoints(), registration);
    const webhooks = configuration['webhooks'] as {
      name: string;
      clientConfig: { service: { path: string } };
    }[];
    return {
      ...configuration,
      metadata: { name: `bench-${target.gate}` },
      webhooks: webhooks.map((webhook) => ({
        ...webhook,
        name: gateWebhookName(target.gate, webhook.name),
        namespaceSelector: { matchLabels: { [GATE_LABEL]: target.gate } },
        clientConfig: {
          ...webhook.clientConfig,
          service: {
            ...webhook.clientConfig.service,
            path: target.validatePath ?? webhook.clientConfig.service.path,
          },
        },
      })),
    };
  });
}

/**
 * Creates the gate's Service and webhook configurations; resolves to the function that removes them
 * (configurations first: they fail closed, and must not outlive the server they call).
 */
export async function registerGate(client: KubeClient, target: GateTarget): Promise<() => Promise<void>> {
  const configurations = gateConfigurations(target);
  const service = localService({
    namespace: target.service.namespace,
    serviceName: target.service.name,
    webhookPort: target.port,
    apiPort: 0,
    caBundlePem: target.caBundle,
  });
  const unregister = async () => {
    for (const object of [...configurations, service]) await remove(client, object).catch(() => undefined);
  };
  try {
    for (const object of [service, ...configurations]) await apply(client, object);
  } catch (error) {
    await unregister();
    throw error;
  }
  return unregister;
}
