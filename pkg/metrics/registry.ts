/**
 * The process's Prometheus registry. Each domain defines its own metrics on the registry it is given
 * (no prom-client global registry), as histograms so they aggregate across replicas.
 */
import { Registry, collectDefaultMetrics } from 'prom-client';

/** Seconds; from 0.5 ms (cached admission checks) to 10 s (beyond any webhook timeout). */
export const LATENCY_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

export function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'prismgate_' });
  return registry;
}
