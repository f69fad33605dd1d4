/**
 * Prometheus metrics of the aggregated API (the prism API in prismgate), on the registry the process gives it: request latency as a
 * histogram by resource and verb (aggregates across replicas, unlike a summary), requests by response
 * code, open watches, and answers served from caches that were not current.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { LATENCY_BUCKETS } from '../../pkg/metrics/registry.ts';

export class ApiMetrics {
  private readonly duration: Histogram<'verb' | 'resource'>;
  private readonly requests: Counter<'verb' | 'resource' | 'code'>;
  private readonly watches: Gauge<'resource'>;
  private readonly stale: Counter<'resource'>;

  constructor(registry: Registry) {
    this.duration = new Histogram({
      name: 'prismgate_api_request_duration_seconds',
      help: 'Latency of aggregated API requests (watches excluded), by resource and verb.',
      labelNames: ['verb', 'resource'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
    this.requests = new Counter({
      name: 'prismgate_api_requests_total',
      help: 'Aggregated API requests by resource, verb and HTTP code.',
      labelNames: ['verb', 'resource', 'code'],
      registers: [registry],
    });
    this.watches = new Gauge({
      name: 'prismgate_api_open_watches',
      help: 'Watches currently open, by resource.',
      labelNames: ['resource'],
      registers: [registry],
    });
    this.stale = new Counter({
      name: 'prismgate_api_stale_responses_total',
      help: 'Answers served from caches that were not current (flagged with a Warning header).',
      labelNames: ['resource'],
      registers: [registry],
    });
  }

  observe(verb: string, resource: string, code: number, seconds: number): void {
    if (verb !== 'watch') this.duration.observe({ verb, resource }, seconds);
    this.requests.inc({ verb, resource, code: String(code) });
  }

  /** Counts an open watch until the returned function is called. */
  watchOpened(resource: string): () => void {
    this.watches.inc({ resource });
    return () => this.watches.dec({ resource });
  }

  servedStale(resource: string): void {
    this.stale.inc({ resource });
  }
}
