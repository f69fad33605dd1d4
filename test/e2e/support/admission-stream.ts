/**
 * A steady stream of ConfigMap creations through the API server, every fifth one named to be denied by
 * the probe webhook, counting what the webhook decided and every request that failed for another
 * reason (a webhook the API server could not call, a TLS failure, a refused connection).
 */
import { KubeApiError } from '../../../pkg/kube/kube-client.ts';
import { steadyStream } from './steady-stream.ts';

export interface StreamResult {
  sent: number;
  allowed: number;
  denied: number;
  failures: string[];
}

export function startAdmissionStream(namespace: string, intervalMs = 100): { stop(): Promise<StreamResult> } {
  const result: StreamResult = { sent: 0, allowed: 0, denied: 0, failures: [] };
  return steadyStream(
    result,
    async (client) => {
      const n = result.sent++;
      const name = n % 5 === 4 ? `forbidden-${n}` : `cm-${n}`;
      try {
        await client.request('POST', `/api/v1/namespaces/${namespace}/configmaps`, {
          body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } },
        });
        if (name.startsWith('forbidden-'))
          result.failures.push(`${name}: allowed, but the webhook denies it`);
        else result.allowed++;
      } catch (error) {
        const denied = error instanceof KubeApiError && /is forbidden here \(rule P1\)/.test(error.message);
        if (denied && name.startsWith('forbidden-')) result.denied++;
        else result.failures.push(`${name}: ${(error as Error).message}`);
      }
    },
    intervalMs,
  );
}
