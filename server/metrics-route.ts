/** `/metrics`: the process's prom-client registry in Prometheus's text format, on either listener. */
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { sendBody } from './send-body.ts';

export function metricsRoute(app: FastifyInstance, registry: Registry): void {
  app.get('/metrics', async (_request, reply) =>
    sendBody(reply, registry.contentType, await registry.metrics()),
  );
}
