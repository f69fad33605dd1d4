/**
 * The floor of the end-to-end comparison: the benchmark's bare webhook server (support/bare-webhook-host.ts)
 * registered with kube-apiserver exactly as prismgate's Vimana webhooks are — the same mutating and
 * validating declarations (rules, matchConditions, timeouts, reinvocation), behind an ExternalName
 * Service, with a CA bundle — but answering every review at once with `allowed`. A create in its
 * namespace pays what two webhook calls cost the API server, without any admission work.
 */
import { randomBytes } from 'node:crypto';
import type { KubeClient } from '../../../pkg/kube/kube-client.ts';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import {
  apply,
  localService,
  remove,
  webhookConfiguration,
  type RegistrationTarget,
} from '../../../src/registration.ts';
import { vimanaEndpoints } from '../../../features/vimana/endpoints.ts';
import { startBareWebhook } from '../../support/bare-webhook.ts';
import { createNamespace, deleteNamespaces } from '../../support/cluster.ts';

/** Namespaces with this label are subject to the floor's webhooks. */
export const FLOOR_LABEL = 'bench.prismgate.kappnav.io/floor';

const FLOOR_SERVICE = 'bench-floor';
const FLOOR_CONFIGURATION = 'bench-floor';

export interface FloorWebhooks {
  /** The floor server's pid, for its CPU. */
  pid: number;
  stop(): Promise<void>;
}

/** prismgate's Vimana admission webhooks (not the one on `/status`, which no create calls). */
function vimanaAdmissionEndpoints() {
  return vimanaEndpoints(() => undefined).filter((endpoint) => !endpoint.path.includes('status'));
}

/** The floor's name of a prismgate webhook: `vimana.validate.prismgate.kappnav.io` → `vimana.validate.bench-floor.kappnav.io`. */
export const floorName = (name: string) => name.replace('prismgate', 'bench-floor');

/** prismgate's configuration of one kind, pointed at the floor and scoped to namespaces with FLOOR_LABEL. */
function floorConfiguration(
  kind: 'ValidatingWebhookConfiguration' | 'MutatingWebhookConfiguration',
  target: RegistrationTarget,
): KubeObject {
  const configuration = webhookConfiguration(kind, vimanaAdmissionEndpoints(), target);
  const webhooks = configuration['webhooks'] as { name: string }[];
  return {
    ...configuration,
    metadata: { name: FLOOR_CONFIGURATION },
    webhooks: webhooks.map((webhook) => ({
      ...webhook,
      name: floorName(webhook.name),
      namespaceSelector: { matchLabels: { [FLOOR_LABEL]: 'true' } },
    })),
  };
}

export async function registerFloorWebhooks(client: KubeClient): Promise<FloorWebhooks> {
  // A name of its own per run: a namespace of an earlier run may still be terminating.
  const namespace = `bench-floor-system-${randomBytes(3).toString('hex')}`;
  const server = await startBareWebhook([`${FLOOR_SERVICE}.${namespace}.svc`]);
  const target: RegistrationTarget = {
    namespace,
    serviceName: FLOOR_SERVICE,
    webhookPort: server.port,
    apiPort: 0,
    caBundlePem: server.caBundle,
  };
  const configurations = [
    floorConfiguration('MutatingWebhookConfiguration', target),
    floorConfiguration('ValidatingWebhookConfiguration', target),
  ];
  // Configurations first: they are failurePolicy Fail, and must not outlive the server they call.
  const stop = async () => {
    for (const configuration of configurations) await remove(client, configuration).catch(() => undefined);
    await deleteNamespaces(client, [namespace]).catch(() => undefined);
    await server.stop();
  };
  try {
    await createNamespace(client, namespace);
    for (const object of [localService(target), ...configurations]) await apply(client, object);
  } catch (error) {
    await stop();
    throw error;
  }
  return { pid: server.pid, stop };
}
