/** The webhook's own latency: a load generator in a child process against the webhook server's port. */
import { runInChild } from './child-job.ts';
import { summarize, type LatencySummary } from './latency-summary.ts';
import type { LoadJob, LoadResult } from './load-generator.ts';

export interface WebhookLatency extends LatencySummary {
  connections: number;
  requestsPerSecond: number;
  failures: number;
}

export async function measureWebhook(job: LoadJob): Promise<WebhookLatency> {
  const result = await runInChild<LoadJob, LoadResult>(new URL('./load-generator.ts', import.meta.url), job);
  const summary = summarize(result.latenciesMs);
  return {
    connections: job.connections,
    ...summary,
    requestsPerSecond: Math.round((summary.count / result.elapsedMs) * 1000),
    failures: result.failures,
  };
}
