/**
 * Shutting down: readiness fails at once (`/readyz/shutdown`) so the Service and the aggregator stop
 * sending requests here, long-running responses (watches) are ended so their clients go to another
 * replica, and a request that still arrives is answered 503 as a Status with a retry hint rather than
 * fastify's bare 503. Health endpoints keep answering so probes see why.
 */
import type { onRequestHookHandler } from 'fastify';
import { serviceUnavailable } from '../api-error.ts';
import { isHealthPath, type HealthCheck } from './health-routes.ts';

/** A response that lasts until it is ended (a watch). */
export interface LongRunning {
  end(): void;
}

export class Shutdown {
  private closing = false;
  /** Open long-running responses, ended when the shutdown begins. */
  readonly longRunning = new Set<LongRunning>();

  readonly readiness: HealthCheck = {
    name: 'shutdown',
    check: () => (this.closing ? 'the server is shutting down' : undefined),
  };

  begin(): void {
    this.closing = true;
    for (const response of this.longRunning) response.end();
  }

  /**
   * A callback hook, not an async one: it runs on every request (each admission review), and an async
   * hook costs a promise and a turn of the microtask queue for a check that is almost always false.
   */
  hook(): onRequestHookHandler {
    return (request, _reply, done) => {
      if (this.closing && !isHealthPath(request.url.split('?', 1)[0]!))
        done(serviceUnavailable('the server is shutting down; retry (another replica answers)'));
      else done();
    };
  }
}
