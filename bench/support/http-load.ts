/** One load step against a prismgate listener: the load generator (load-generator.ts) in a child process. */
import { runInChild } from './child-job.ts';
import { summarize, type LatencySummary } from './latency-summary.ts';
import type { LoadJob, LoadResult } from './load-generator.ts';
import type { ProcessUsage } from './process-usage.ts';

export interface LoadStep {
  connections: number;
  /** The offered rate when paced; absent for a closed loop (as fast as the server answers). */
  ratePerSecond?: number;
  requestsPerSecond: number;
  latency: LatencySummary;
  /** Answers that were not the expected 200 (should be 0; the figures mean nothing otherwise). */
  failures: number;
  firstFailure?: string;
  /** prismgate's process over the measured part (the load generator's own CPU is not in it). */
  prismgate: ProcessUsage;
  /** prismgate CPU per answered request, in microseconds. */
  cpuMicrosPerRequest: number;
}

export async function measureLoad(job: LoadJob): Promise<LoadStep> {
  const result = await runInChild<LoadJob, LoadResult>(new URL('./load-generator.ts', import.meta.url), job);
  const latency = summarize(result.latenciesMs);
  return {
    connections: job.connections,
    ...(job.ratePerSecond ? { ratePerSecond: job.ratePerSecond } : {}),
    requestsPerSecond: Math.round((latency.count / result.measuredMs) * 1000),
    latency,
    failures: result.failures,
    ...(result.firstFailure ? { firstFailure: result.firstFailure } : {}),
    prismgate: result.server,
    cpuMicrosPerRequest: Math.round((result.server.cpuMs * 1000) / latency.count),
  };
}
