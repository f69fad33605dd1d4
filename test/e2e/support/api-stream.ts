/**
 * A steady stream of prism API reads through kube-apiserver (so through the aggregator, the front proxy
 * and prismgate's TLS), also sampling the APIService's Available condition, counting every failure.
 */
import { steadyStream } from './steady-stream.ts';

export interface ApiStreamResult {
  reads: number;
  unavailableSamples: number;
  failures: string[];
}

interface ApiServiceObject {
  status?: { conditions?: { type: string; status: string; message?: string }[] };
}

export function startApiStream(intervalMs = 100): { stop(): Promise<ApiStreamResult> } {
  const result: ApiStreamResult = { reads: 0, unavailableSamples: 0, failures: [] };
  const started = Date.now();
  const at = () => `+${((Date.now() - started) / 1000).toFixed(1)}s`;
  return steadyStream(
    result,
    async (client) => {
      result.reads++;
      try {
        await client.request('GET', '/apis/prism.kappnav.io/v1/prismnamespaces');
        const apiService = await client.request<ApiServiceObject>(
          'GET',
          '/apis/apiregistration.k8s.io/v1/apiservices/v1.prism.kappnav.io',
        );
        const available = apiService.status?.conditions?.find((c) => c.type === 'Available');
        if (available?.status !== 'True') {
          result.unavailableSamples++;
          result.failures.push(`${at()} APIService not Available: ${available?.message ?? 'no condition'}`);
        }
      } catch (error) {
        result.failures.push(`${at()} ${(error as Error).message}`);
      }
    },
    intervalMs,
  );
}
