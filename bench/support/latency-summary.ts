/**
 * Latency figures as the benchmark reports them: milliseconds rounded to microseconds, nearest-rank
 * percentiles, and the whole distribution at fixed percentiles so the report can chart it without the
 * raw samples (which would make the results file megabytes long).
 */
export interface LatencySummary {
  count: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  /** [percentile, ms] pairs from the fastest to the slowest sample. */
  distribution: [number, number][];
}

const DISTRIBUTION_PERCENTILES = [0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 100];

export const roundMs = (ms: number) => Math.round(ms * 1000) / 1000;

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

export function summarize(latenciesMs: readonly number[]): LatencySummary {
  const sorted = Float64Array.from(latenciesMs).sort();
  const values = Array.from(sorted);
  const total = values.reduce((sum, value) => sum + value, 0);
  return {
    count: values.length,
    p50Ms: roundMs(percentile(values, 50)),
    p90Ms: roundMs(percentile(values, 90)),
    p99Ms: roundMs(percentile(values, 99)),
    maxMs: roundMs(values.at(-1) ?? NaN),
    meanMs: roundMs(total / values.length),
    distribution: DISTRIBUTION_PERCENTILES.map((p) => [p, roundMs(percentile(values, p))]),
  };
}

/** `a / b` to two decimals: the ratios the report states. */
export const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
