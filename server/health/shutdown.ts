/**
 * Shutting down: readiness fails at once (`/readyz/shutdown`) so the Service and the aggregator stop
 * sending requests here, open watches are ended so their clients re-watch another replica, and a request
 * that still arrives is answered 503 as a Status with a retry hint rather than fastify's bare 503. Health
 * endpoints keep answering so probes see why.
 */
import type { onRequestAsyncHookHandler } from 'fastify';
import { serviceUnavailable } from '../../aggregated-api/errors/api-error.ts';
import type { WatchStream } from '../../aggregated-api/watch/watch-stream.ts';
import { isHealthPath, type HealthCheck } from './health-routes.ts';

export class Shutdown {
  private closing = false;
  /** Open watches, ended when the shutdown begins. */
  readonly watches = new Set<WatchStream>();

  readonly readiness: HealthCheck = {
    name: 'shutdown',
    check: () => (this.closing ? 'the server is shutting down' : undefined),
  };

  begin(): void {
    this.closing = true;
    for (const watch of this.watches) watch.end();
  }

  hook(): onRequestAsyncHookHandler {
    return async (request) => {
      if (this.closing && !isHealthPath(request.prism.info.path))
        throw serviceUnavailable('the server is shutting down; retry (another replica answers)');
    };
  }
}
