/**
 * The floor of the end-to-end comparison: the benchmark's bare webhook server (support/bare-webhook-host.ts)
 * registered with kube-apiserver exactly as prismgate's Vimana webhooks are — the same mutating and
 * validating declarations (rules, matchConditions, timeouts, reinvocation), behind an ExternalName
 * Service, with a CA bundle (peers/registration.ts) — but answering every review at once with `allowed`.
 * A create in its namespace pays what two webhook calls cost the API server, without any admission work.
 */
import { randomBytes } from 'node:crypto';
import type { KubeClient } from '../../../pkg/kube/kube-client.ts';
import { gateWebhookName, registerGate } from '../../peers/registration.ts';
import { startBareWebhook } from '../../support/bare-webhook.ts';
import { createNamespace, deleteNamespaces } from '../../support/cluster.ts';

/** The floor's gate name: namespaces labelled with it are subject to the floor's webhooks. */
export const FLOOR_GATE = 'floor';

const FLOOR_SERVICE = 'bench-floor';

export interface FloorWebhooks {
  /** The floor server's pid, for its CPU. */
  pid: number;
  stop(): Promise<void>;
}

/** The floor's name of a prismgate webhook: `vimana.validate.prismgate.kappnav.io` → `vimana.validate.bench-floor.kappnav.io`. */
export const floorName = (name: string) => gateWebhookName(FLOOR_GATE, name);

export async function registerFloorWebhooks(client: KubeClient): Promise<FloorWebhooks> {
  // A name of its own per run: a namespace of an earlier run may still be terminating.
  const namespace = `bench-floor-system-${randomBytes(3).toString('hex')}`;
  const server = await startBareWebhook([`${FLOOR_SERVICE}.${namespace}.svc`]);
  let unregister = async () => {};
  const stop = async () => {
    await unregister();
    await deleteNamespaces(client, [namespace]).catch(() => undefined);
    await server.stop();
  };
  try {
    await createNamespace(client, namespace);
    unregister = await registerGate(client, {
      gate: FLOOR_GATE,
      service: { namespace, name: FLOOR_SERVICE },
      port: server.port,
      caBundle: server.caBundle,
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { pid: server.pid, stop };
}
