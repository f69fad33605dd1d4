/**
 * What a scenario that measures prismgate starts with: the CRDs (and kAppNav's maps when asked)
 * installed, a client as the cluster administrator, and prismgate running in its own process, profiled
 * when the run asks for profiles.
 */
import { KubeClient } from '../../pkg/kube/kube-client.ts';
import { loadKubeConfig } from '../../src/prismgate.ts';
import type { BenchContext } from '../scenario.ts';
import { installCrds, installKappnav } from './cluster.ts';
import { PrismgateProcess, type HostOptions } from './prismgate-process.ts';

export interface ScenarioSetup {
  client: KubeClient;
  prismgate: PrismgateProcess;
  stop(): Promise<void>;
}

export async function startScenario(
  { controlPlane, profileDir }: BenchContext,
  label: string,
  options: Omit<HostOptions, 'kubeconfig'> & { kappnav?: boolean } = {},
): Promise<ScenarioSetup> {
  const { kappnav, ...host } = options;
  const { kubeconfig } = controlPlane;
  await (kappnav ? installKappnav(kubeconfig) : installCrds(kubeconfig));
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
