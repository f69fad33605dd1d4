/**
 * What a scenario that measures prismgate starts with: the CRDs and kAppNav's maps installed (as
 * `npm run up` installs them), a client as the cluster administrator, and prismgate running in its own
 * process as `npm start` runs it, profiled when the run asks for profiles.
 */
import { KubeClient } from '../../pkg/kube/kube-client.ts';
import { loadKubeConfig } from '../../src/prismgate.ts';
import type { BenchContext } from '../scenario.ts';
import { installKappnav } from './cluster.ts';
import { PrismgateProcess, type HostOptions } from './prismgate-process.ts';

export interface ScenarioSetup {
  client: KubeClient;
  prismgate: PrismgateProcess;
  stop(): Promise<void>;
}

/**
 * Without the policy feature: the process prismgate is compared as when peers run, since the peers'
 * policy engine (prismgate's own, peers/prismgate-policies.ts) runs in a process of its own, scoped to its
 * namespace. prismgate's policy feature would register a webhook for the Vimana kinds its policies name,
 * and prismgate's namespace would then pay for that call too.
 */
export const VIMANA_WEBHOOK_FEATURES = ['vimana', 'kappnav-status'];

export async function startScenario(
  { controlPlane, profileDir }: BenchContext,
  label: string,
  host: Pick<HostOptions, 'features'> = {},
): Promise<ScenarioSetup> {
  const { kubeconfig } = controlPlane;
  await installKappnav(kubeconfig);
  const client = new KubeClient(loadKubeConfig(kubeconfig));
  const prismgate = await PrismgateProcess.start({
    kubeconfig,
    label,
    ...host,
    ...(profileDir ? { cpuProfileDir: profileDir } : {}),
  });
  return {
    client,
    prismgate,
    async stop() {
      await prismgate.stop();
      client.close();
    },
  };
}
