/**
 * `/metrics`: the process's prom-client registry in Prometheus's text format, on either listener. Given
 * `access`, only a bearer token's user that may `get` the nonResourceURL `/metrics` reads it (the webhook
 * listener; the prism API's pipeline authorizes every path of its listener itself).
 */
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { tokenAccessHook, type TokenAccess } from './delegated-auth/token-access.ts';
import { sendBody } from './send-body.ts';

export function metricsRoute(app: FastifyInstance, registry: Registry, access?: TokenAccess): void {
  app.get(
    '/metrics',
    access ? { onRequest: tokenAccessHook(access, { verb: 'get', path: '/metrics' }, app.log) } : {},
    async (_request, reply) => sendBody(reply, registry.contentType, await registry.metrics()),
  );
}
