/**
 * `prismgate release-finalizers [--kubeconfig file]`: takes prismgate's in-use finalizer off every Vimana
 * object of the cluster, for a cluster whose prismgate is gone (docs/vimana-operator.md, the finalizer
 * runbook; a running prismgate would put it back). Without it, a Vimana object deleted after prismgate's removal would stay
 * Terminating for good. Uses the kubeconfig kubectl would (`--kubeconfig`, else KUBECONFIG, else
 * ~/.kube/config, else the in-cluster service account). Exit code 0 when done, 1 on any error.
 */
import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeClient } from '../../pkg/kube/kube-client.ts';
import { IN_USE_FINALIZER } from './protection.ts';
import { releaseAllFinalizers } from './writes.ts';

export async function releaseFinalizersCommand(
  argv: readonly string[],
  output: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<number> {
  let kubeconfig: string | undefined;
  try {
    ({ kubeconfig } = parseArgs({ args: [...argv], options: { kubeconfig: { type: 'string' } } }).values);
  } catch (error) {
    output(`error: ${(error as Error).message}\nusage: prismgate release-finalizers [--kubeconfig <file>]`);
    return 1;
  }
  const config = new KubeConfig();
  if (kubeconfig) config.loadFromFile(kubeconfig);
  else config.loadFromDefault();
  const client = new KubeClient(config);
  try {
    const released = await releaseAllFinalizers(client);
    output(`${IN_USE_FINALIZER} taken off ${released} Vimana object${released === 1 ? '' : 's'}`);
    return 0;
  } catch (error) {
    output(`error: ${(error as Error).message}`);
    return 1;
  } finally {
    client.close();
  }
}

export async function main(): Promise<void> {
  process.exitCode = await releaseFinalizersCommand(process.argv.slice(2));
}
