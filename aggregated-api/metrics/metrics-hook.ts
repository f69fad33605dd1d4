/** Observes every answered request (watches excluded: they are long-running) in the API metrics. */
import type { onResponseHookHandler } from 'fastify';
import { isHealthPath } from '../../server/health/health-routes.ts';
import type { ApiMetrics } from './api-metrics.ts';

/** Non-resource paths by family, so that arbitrary paths cannot create unbounded label values. */
function pathFamily(path: string): string {
  if (path === '/apis' || path === '/api' || path.startsWith('/apis/')) return 'discovery';
  if (path.startsWith('/openapi')) return 'openapi';
  if (isHealthPath(path)) return 'health';
  if (path === '/metrics') return 'metrics';
  return 'other';
}

/** `served`: the resource names the server serves; others count as `unknown`, for the same reason. */
export function metricsHook(metrics: ApiMetrics, served: ReadonlySet<string>): onResponseHookHandler {
  return (request, reply, done) => {
    const context = request.apiContext;
    if (context) {
      const { info, started } = context;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const resource = info.isResourceRequest
        ? served.has(info.resource)
          ? info.resource
          : 'unknown'
        : pathFamily(info.path);
      metrics.observe(info.verb, resource, reply.statusCode, seconds);
    }
    done();
  };
}
