/**
 * What a scenario that measures prismgate starts with: the CRDs and kAppNav's maps installed (as
 * `npm run up` installs them), a client as the cluster administrator, and prismgate running in its own
 * process as `npm start` runs it, profiled when the run asks for profiles.
 */
import { KubeClient } from '../../pkg/kube/kube-client.ts';
import { loadKubeConfig } from '../../src/prismgate.ts';
import type { BenchContext } from '../scenario.ts';
import { installKappnav } from './cluster.ts';
import { PrismgateProcess } from './prismgate-process.ts';

export interface ScenarioSetup {
  client: KubeClient;
  prismgate: PrismgateProcess;
  stop(): Promise<void>;
}

export async function startScenario(
  { controlPlane, profileDir }: BenchContext,
  label: string,
): Promise<ScenarioSetup> {
  const { kubeconfig } = controlPlane;
  await installKappnav(kubeconfig);
  const client = new KubeClient(loadKubeConfig(kubeconfig));
  const prismgate = await PrismgateProcess.start({
    kubeconfig,
    label,
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
