/**
 * `kubectl apply`-equivalent create latency through the API server, with and without prismgate's
 * webhooks, measured side by side by a client in its own process (create-client.ts).
 */
import { runInChild } from './child-job.ts';
import type { CreateJob, CreateSamples } from './create-client.ts';
import { summarize, type LatencySummary } from './latency-summary.ts';

export interface CreateLatency {
  withWebhooks: LatencySummary;
  withoutWebhooks: LatencySummary;
  ratioP50: number;
  ratioMean: number;
  ratioP99: number;
}

export async function measureCreates(job: CreateJob): Promise<CreateLatency> {
  const samples = await runInChild<CreateJob, CreateSamples>(
    new URL('./create-client.ts', import.meta.url),
    job,
  );
  const withWebhooks = summarize(samples.gatedMs);
  const withoutWebhooks = summarize(samples.bypassedMs);
  const ratio = (key: 'p50Ms' | 'meanMs' | 'p99Ms') =>
    Math.round((withWebhooks[key] / withoutWebhooks[key]) * 100) / 100;
  return {
    withWebhooks,
    withoutWebhooks,
    ratioP50: ratio('p50Ms'),
    ratioMean: ratio('meanMs'),
    ratioP99: ratio('p99Ms'),
  };
}
