/**
 * `Cache-Control: no-cache, private` on every answer that does not set its own, as k8s.io/apiserver's
 * WithCacheControl filter does: API answers are per user and change at any time, so neither shared nor
 * private caches may reuse them without asking. (Aggregated discovery says `public`, OpenAPI documents
 * addressed by hash `public, immutable`; they set their own.)
 */
import type { onRequestHookHandler } from 'fastify';

export const NO_CACHE = 'no-cache, private';

export function defaultCacheControl(): onRequestHookHandler {
  return (_request, reply, done) => {
    void reply.header('cache-control', NO_CACHE);
    done();
  };
}
