import { setTimeout as sleep } from 'node:timers/promises';
import { KubeClient } from '../../../pkg/kube/kube-client.ts';
import { kubeConfig } from './cluster.ts';

/**
 * Runs `step` with a client of the shared control plane again and again, `intervalMs` apart, until
 * stopped; stop() waits for the step in flight, closes the client and returns `result`, which the steps
 * fill in.
 */
export function steadyStream<R>(
  result: R,
  step: (client: KubeClient) => Promise<void>,
  intervalMs: number,
): { stop(): Promise<R> } {
  const client = new KubeClient(kubeConfig());
  let running = true;
  const loop = (async () => {
    while (running) {
      await step(client);
      await sleep(intervalMs);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      client.close();
      return result;
    },
  };
}
